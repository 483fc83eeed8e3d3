package io.jcorn.protocol;

import java.lang.reflect.InvocationTargetException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The {@link ServerHooks} of one JVM (master or worker), loaded from {@code --hooks}, each call
 * guarded: a hook that throws is reported to {@code failed} and the server goes on.
 */
public final class Hooks {
    /** No hooks: every call does nothing. */
    public static final Hooks NONE = new Hooks(new ServerHooks() {}, (hook, e) -> {});

    private final ServerHooks hooks;
    private final BiConsumer<String, Throwable> failed;

    private Hooks(ServerHooks hooks, BiConsumer<String, Throwable> failed) {
        this.hooks = hooks;
        this.failed = failed;
    }

    /**
     * Creates the hooks class {@code className} from {@code loader}, or {@link #NONE} if null.
     *
     * @throws IllegalArgumentException if it cannot be: the message says why in one line
     */
    public static Hooks load(String className, ClassLoader loader, BiConsumer<String, Throwable> failed) {
        if (className == null || className.isEmpty()) return NONE;
        try {
            Class<?> type = Class.forName(className, true, loader);
            if (!ServerHooks.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("--hooks class '" + className + "' does not implement "
                        + ServerHooks.class.getName());
            }
            return new Hooks((ServerHooks) type.getConstructor().newInstance(), failed);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--hooks class '" + className + "' is not on the classpath");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the constructor of --hooks class '" + className + "' threw " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("--hooks class '" + className + "' cannot be created: " + e);
        }
    }

    /** Calls one hook; {@code name} is how a failure is reported. */
    public void run(String name, Consumer<ServerHooks> hook) {
        if (this == NONE) return;
        try {
            hook.accept(hooks);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            failed.accept(name, e);
        }
    }
}
