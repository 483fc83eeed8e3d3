package io.jcorn.master.reload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReloadPathsTest {
    @TempDir
    Path dir;

    private Path write(String name) throws Exception {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, name);
    }

    @Test
    void theClasspathsDirectoriesJarsAndJarDirectoriesAreStamped() throws Exception {
        Path classFile = write("classes/com/example/App.class");
        Path resource = write("classes/app.properties");
        Path jar = write("app.jar");
        Path libJar = write("lib/dep.jar");
        Path upper = write("lib/OTHER.JAR");
        write("lib/readme.txt");
        write("lib/sub/nested.jar");
        ReloadPaths paths = ReloadPaths.of("classes:app.jar:lib/*:missing/classes", dir, List.of());
        ReloadPaths.Scan scan = paths.scan();
        assertEquals(Set.of(classFile, resource, jar, libJar, upper), scan.stamps().keySet());
        assertTrue(scan.directories().containsAll(Set.of(dir.resolve("classes"), dir.resolve("classes/com/example"), dir.resolve("lib"), dir)));
    }

    @Test
    void extraFilesAndPatternsAreStamped() throws Exception {
        Path config = write("config.yaml");
        Path view = write("ui/home/config.json");
        ReloadPaths paths = ReloadPaths.of("", dir, List.of("config.yaml", "ui/*/config.json", "none/*.json"));
        assertEquals(Set.of(config, view), paths.scan().stamps().keySet());
        assertEquals(List.of("none/*.json"), paths.unmatchedPatterns());
    }

    @Test
    void aMissingExtraFileIsRefusedAsGunicornRefusesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReloadPaths.of("", dir, List.of("nope.yaml")));
        assertEquals("--reload-extra-file nope.yaml: no such file", e.getMessage());
    }

    @Test
    void scansDifferInWhatWasCreatedChangedOrRemoved() throws Exception {
        Path kept = write("classes/Kept.class");
        Path changed = write("classes/Changed.class");
        Path removed = write("classes/Removed.class");
        ReloadPaths paths = ReloadPaths.of("classes", dir, List.of());
        ReloadPaths.Scan before = paths.scan();
        Files.writeString(changed, "a longer content than before");
        Files.delete(removed);
        Path created = write("classes/sub/Created.class");
        ReloadPaths.Scan after = paths.scan();
        assertEquals(Set.of(changed, removed, created), after.changedSince(before));
        assertEquals(Set.of(), paths.scan().changedSince(after));
        assertTrue(after.stamps().containsKey(kept));
    }

    @Test
    void aFileReplacedByARenameIsAChangeEvenWithTheSameSizeAndTime() throws Exception {
        Path jar = write("app.jar");
        ReloadPaths paths = ReloadPaths.of("app.jar", dir, List.of());
        ReloadPaths.Scan before = paths.scan();
        Path next = dir.resolve("app.jar.tmp");
        Files.writeString(next, Files.readString(jar));
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(jar));
        Files.move(next, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Set.of(jar), paths.scan().changedSince(before), "a new inode");
    }
}
