package io.jcorn.worker;

import io.jcorn.protocol.App;
import io.jcorn.worker.AppLoader.AppLoadError;
import io.jcorn.worker.testapps.HelloApp;
import io.jcorn.worker.testapps.StaticMembers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppLoaderTest {

    private static final String PKG = "io.jcorn.worker.testapps.";
    private static final String APP = "io.jcorn.protocol.App";
    private static final String HELLO_CLASS_FILE = "io/jcorn/worker/testapps/HelloApp.class";

    @TempDir
    Path tmp;
    private ClassLoader contextLoader;

    @BeforeEach
    void keepContextLoader() {
        contextLoader = Thread.currentThread().getContextClassLoader();
    }

    @AfterEach
    void restoreContextLoader() {
        Thread.currentThread().setContextClassLoader(contextLoader);
    }

    /** The test-classes directory, where the apps under testapps/ are compiled to. */
    private static Path testClasses() {
        try {
            return Path.of(HelloApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static App load(String spec) throws AppLoadError {
        return AppLoader.load(spec, testClasses().toString());
    }

    /** Loads {@code spec}, which must fail, and checks the message is one line. */
    private static AppLoadError failure(String spec, String classpath) {
        AppLoadError e = assertThrows(AppLoadError.class, () -> AppLoader.load(spec, classpath));
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"),
                "one line, but was: " + e.getMessage());
        return e;
    }

    private static void assertContains(String expected, String message) {
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
    }

    private static String body(App app) throws Exception {
        List<String> parts = new ArrayList<>();
        for (Object part : app.call(new java.util.HashMap<>(), (status, headers, exc) -> {})) {
            parts.add(new String((byte[]) part));
        }
        return String.join("", parts);
    }

    // ---------------------------------------------------------------- app specs

    @Test
    void classWithPublicNoArgConstructor() throws Exception {
        assertInstanceOf(HelloApp.class, load(PKG + "HelloApp"));
    }

    @Test
    void staticField() throws Exception {
        assertSame(StaticMembers.APP, load(PKG + "StaticMembers::APP"));
    }

    @Test
    void staticNoArgMethod() throws Exception {
        assertEquals("method", body(load(PKG + "StaticMembers::create")));
    }

    static Stream<Arguments> badSpecs() {
        String members = PKG + "StaticMembers::";
        return Stream.of(
                Arguments.of(PKG + "Missing", List.of("Failed to find application class '" + PKG + "Missing'")),
                Arguments.of("Missing", List.of("'Missing'")),
                Arguments.of(PKG + "NotAnApp", List.of("'" + PKG + "NotAnApp' does not implement " + APP)),
                Arguments.of(PKG + "StaticMembers", List.of("'" + PKG + "StaticMembers' does not implement " + APP)),
                Arguments.of(PKG + "AbstractApp", List.of("'" + PKG + "AbstractApp' is abstract")),
                Arguments.of(PKG + "NoPublicConstructorApp",
                        List.of("'" + PKG + "NoPublicConstructorApp' has no public no-argument constructor")),
                Arguments.of(PKG + "ArgumentConstructorApp",
                        List.of("'" + PKG + "ArgumentConstructorApp' has no public no-argument constructor")),
                Arguments.of(PKG + "ThrowingConstructorApp",
                        List.of("constructor of '" + PKG + "ThrowingConstructorApp' threw",
                                "IllegalStateException: no database configured")),
                Arguments.of(members + "NOTHING", List.of("'" + members + "NOTHING' is null, not an " + APP)),
                Arguments.of(members + "TEXT", List.of("'" + members + "TEXT' is a java.lang.String, not an " + APP)),
                Arguments.of(members + "failing",
                        List.of("'" + members + "failing' threw", "IllegalStateException: bad configuration")),
                Arguments.of(members + "instanceMethod", List.of("'" + members + "instanceMethod' is not static")),
                Arguments.of(members + "missing",
                        List.of("'" + members + "missing' names no public static field or no-argument method")),
                Arguments.of(members + "withArgument", List.of("'" + members + "withArgument' names no public static")),
                Arguments.of(members + "hidden", List.of("'" + members + "hidden' names no public static")),
                Arguments.of(members + "instanceField", List.of("'" + members + "instanceField' names no public static")),
                Arguments.of(members, List.of("'" + members + "' names no public static")),
                Arguments.of(PKG + "HelloApp::APP", List.of("'" + PKG + "HelloApp::APP' names no public static")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecIsOneLineNamingTheClassOrMember(String spec, List<String> expected) {
        String message = failure(spec, testClasses().toString()).getMessage();
        for (String fragment : expected) assertContains(fragment, message);
    }

    @Test
    void throwingConstructorKeepsTheCause() {
        AppLoadError e = failure(PKG + "ThrowingConstructorApp", testClasses().toString());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void throwingMethodKeepsTheCause() {
        AppLoadError e = failure(PKG + "StaticMembers::failing", testClasses().toString());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void missingClassMessageNamesTheClasspath() {
        assertContains("'" + testClasses() + "'", failure(PKG + "Missing", testClasses().toString()).getMessage());
    }

    // ---------------------------------------------------------------- classpath

    @Test
    void missingClasspathEntryIsAnError() {
        String missing = tmp.resolve("no-such-dir").toString();
        String message = failure(PKG + "HelloApp", testClasses() + ":" + missing).getMessage();
        assertContains("Classpath entry '" + missing + "' does not exist", message);
    }

    @Test
    void missingJarIsAnError() {
        String missing = tmp.resolve("app.jar").toString();
        assertContains("'" + missing + "'", failure(PKG + "HelloApp", missing).getMessage());
    }

    @Test
    void emptyClasspathEntriesAreSkipped() throws Exception {
        assertInstanceOf(HelloApp.class, AppLoader.load(PKG + "HelloApp", "::" + testClasses() + ":"));
    }

    @Test
    void appClassLoaderBecomesTheContextClassLoader() throws Exception {
        load(PKG + "HelloApp");
        URLClassLoader loader = assertInstanceOf(URLClassLoader.class, Thread.currentThread().getContextClassLoader());
        assertEquals("app", loader.getName());
        assertArrayEquals(new URL[] {testClasses().toUri().toURL()}, loader.getURLs());
    }

    @Test
    void relativeEntryIsMadeAbsolute() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(testClasses());
        AppLoader.load(PKG + "HelloApp", relative.toString());
        URLClassLoader loader = (URLClassLoader) Thread.currentThread().getContextClassLoader();
        assertArrayEquals(new URL[] {testClasses().toUri().toURL()}, loader.getURLs());
    }

    /** A jar holding a copy of HelloApp's class file. */
    private Path helloJar(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(HELLO_CLASS_FILE));
            out.write(Files.readAllBytes(testClasses().resolve(HELLO_CLASS_FILE)));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void directoryStarPicksUpItsJars() throws Exception {
        Path lib = tmp.resolve("lib");
        Path lower = helloJar(lib, "hello.jar");
        Path upper = helloJar(lib, "OTHER.JAR");
        Files.writeString(lib.resolve("notes.txt"), "not a jar");
        Files.createDirectory(lib.resolve("classes"));

        assertInstanceOf(HelloApp.class, AppLoader.load(PKG + "HelloApp", lib + "/*"));

        URLClassLoader loader = (URLClassLoader) Thread.currentThread().getContextClassLoader();
        List<URL> urls = Arrays.asList(loader.getURLs());
        assertEquals(2, urls.size(), urls.toString());
        assertTrue(urls.contains(lower.toUri().toURL()), urls.toString());
        assertTrue(urls.contains(upper.toUri().toURL()), urls.toString());
        URL found = loader.findResource(HELLO_CLASS_FILE); // searches the loader's own entries only
        assertNotNull(found, "the app class should be found in a jar of lib/*");
        assertEquals("jar", found.getProtocol());
    }

    @Test
    void directoryStarWithoutJarsAddsNothing() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        AppLoader.load(PKG + "HelloApp", empty + "/*");
        URLClassLoader loader = (URLClassLoader) Thread.currentThread().getContextClassLoader();
        assertEquals(0, loader.getURLs().length);
        assertNull(loader.findResource(HELLO_CLASS_FILE));
    }

    @Test
    void directoryStarOfMissingDirectoryIsAnError() {
        Path missing = tmp.resolve("missing");
        assertContains("'" + missing + "/*'", failure(PKG + "HelloApp", missing + "/*").getMessage());
    }

    @Test
    void classesAndJarsMix() throws Exception {
        Path lib = tmp.resolve("lib");
        Path jar = helloJar(lib, "hello.jar");
        AppLoader.load(PKG + "HelloApp", testClasses() + ":" + lib + "/*");
        URLClassLoader loader = (URLClassLoader) Thread.currentThread().getContextClassLoader();
        assertArrayEquals(new URL[] {testClasses().toUri().toURL(), jar.toUri().toURL()}, loader.getURLs());
    }
}
