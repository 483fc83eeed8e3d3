package io.jcorn.worker;

/**
 * {@code jcorn --check-config}'s throwaway JVM: loads the app as a worker would, prints one line
 * saying whether it could, and exits 0 or 1. It binds and serves nothing.
 */
public final class AppCheck {
    private AppCheck() {}

    /** {@code AppCheck APP CLASSPATH} */
    public static void main(String[] args) {
        try {
            AppLoader.load(args[0], args[1]);
            System.out.println("the app " + args[0] + " loads");
            System.exit(0);
        } catch (AppLoader.AppLoadError e) {
            System.out.println("App failed to load: " + e.getMessage());
            System.exit(1);
        }
    }
}
