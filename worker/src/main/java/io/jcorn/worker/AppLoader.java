package io.jcorn.worker;

import io.jcorn.protocol.App;
import io.jcorn.protocol.AppClasspath;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Finds the app a worker serves: {@code pkg.Class} (public no-argument constructor) or
 * {@code pkg.Class::member} (a static field, or a static no-argument method, holding an App),
 * loaded from classpath entries (jars, directories, and {@code dir/*} for every jar in dir).
 */
final class AppLoader {

    /** The app could not be loaded; the message says why in one line. */
    static final class AppLoadError extends Exception {
        AppLoadError(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private AppLoader() {}

    static App load(String spec, String classpath) throws AppLoadError {
        return load(spec, classpath, classLoader(classpath));
    }

    /** Loads the app {@code spec} from {@code loader} (over {@code classpath}), which becomes the thread's context class loader. */
    static App load(String spec, String classpath, ClassLoader loader) throws AppLoadError {
        int sep = spec.indexOf("::");
        String className = sep < 0 ? spec : spec.substring(0, sep);
        String member = sep < 0 ? null : spec.substring(sep + 2);
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AppLoadError("Failed to find application class '" + className + "' on the classpath '"
                    + classpath + "'", null);
        } catch (LinkageError e) {
            throw new AppLoadError("Failed to load application class '" + className + "': " + e, e);
        }
        Object app = member == null ? construct(type) : fromMember(type, member);
        if (!(app instanceof App result)) {
            throw new AppLoadError("'" + spec + "' is " + (app == null ? "null" : "a " + app.getClass().getName())
                    + ", not an " + App.class.getName(), null);
        }
        return result;
    }

    private static Object construct(Class<?> type) throws AppLoadError {
        if (!App.class.isAssignableFrom(type)) {
            throw new AppLoadError("Class '" + type.getName() + "' does not implement " + App.class.getName()
                    + " (name a static member holding an app with Class::member)", null);
        }
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new AppLoadError("Class '" + type.getName() + "' has no public no-argument constructor", null);
        } catch (InvocationTargetException e) {
            throw new AppLoadError("The constructor of '" + type.getName() + "' threw " + e.getCause(), e.getCause());
        } catch (InstantiationException e) {
            throw new AppLoadError("Class '" + type.getName() + "' is abstract", null);
        }
    }

    private static Object fromMember(Class<?> type, String member) throws AppLoadError {
        String where = type.getName() + "::" + member;
        try {
            Field field = type.getField(member);
            if (Modifier.isStatic(field.getModifiers())) return field.get(null);
        } catch (NoSuchFieldException e) {
            // then it should be a method
        } catch (IllegalAccessException e) {
            throw new AppLoadError("'" + where + "' is not accessible", null);
        }
        try {
            Method method = type.getMethod(member);
            if (!Modifier.isStatic(method.getModifiers())) {
                throw new AppLoadError("'" + where + "' is not static", null);
            }
            return method.invoke(null);
        } catch (NoSuchMethodException e) {
            throw new AppLoadError("'" + where + "' names no public static field or no-argument method", null);
        } catch (IllegalAccessException e) {
            throw new AppLoadError("'" + where + "' is not accessible", null);
        } catch (InvocationTargetException e) {
            throw new AppLoadError("'" + where + "' threw " + e.getCause(), e.getCause());
        }
    }

    /** The app's class loader over {@code classpath}, with jcorn's protocol classes as its parent. */
    static ClassLoader classLoader(String classpath) throws AppLoadError {
        try {
            return new URLClassLoader("app", AppClasspath.urls(classpath, Path.of("")), AppLoader.class.getClassLoader());
        } catch (IllegalArgumentException e) {
            throw new AppLoadError(e.getMessage(), null);
        }
    }
}
