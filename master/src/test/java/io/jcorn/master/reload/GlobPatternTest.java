package io.jcorn.master.reload;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Patterns matched as Python's glob.glob(pattern, recursive=True) matches them, which Gunicorn 26.1 uses. */
class GlobPatternTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tree() throws Exception {
        for (String file : List.of("ui/home/config.json", "ui/cart/config.json", "ui/cart/other.json", "ui/.draft/config.json",
                "a.yaml", "conf/b.yaml", "conf/deep/c.yaml", "conf/.hidden/d.yaml", ".env", ".env.local", "x.txt", "y.txt",
                "ab.txt", "[weird].txt", "-.txt")) {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, file);
        }
    }

    private List<String> expand(String pattern) {
        return new GlobPattern(pattern).expand(dir).stream().map(p -> dir.relativize(p).toString()).toList();
    }

    @Test
    void aStarMatchesWithinOneComponent() {
        assertEquals(List.of("ui/cart/config.json", "ui/home/config.json"), expand("ui/*/config.json"));
        assertEquals(List.of("ab.txt", "x.txt", "y.txt"), expand("[a-z]*.txt"));
        assertEquals(List.of("conf/b.yaml"), expand("conf/*.yaml"));
    }

    @Test
    void doubleStarMatchesAnyNumberOfDirectoriesButNotHiddenOnes() {
        assertEquals(List.of("a.yaml", "conf/b.yaml", "conf/deep/c.yaml"), expand("**/*.yaml"));
        assertEquals(List.of("conf/b.yaml", "conf/deep/c.yaml"), expand("conf/**/*.yaml"));
        assertEquals(List.of("conf", "conf/b.yaml", "conf/deep", "conf/deep/c.yaml"), expand("conf/**"));
    }

    @Test
    void wildcardsSkipNamesStartingWithADotUnlessThePatternDoesToo() {
        assertFalse(expand("*").contains(".env"));
        assertEquals(List.of(".env", ".env.local"), expand(".env*"));
        assertEquals(List.of("ui/.draft/config.json"), expand("ui/.*/config.json"));
    }

    @Test
    void questionMarksAndClassesMatchOneCharacter() {
        assertEquals(List.of("-.txt", "x.txt", "y.txt"), expand("?.txt"));
        assertEquals(List.of("x.txt"), expand("[x].txt"));
        assertEquals(List.of("-.txt", "y.txt"), expand("[!x].txt"));
        assertEquals(List.of("-.txt"), expand("[-].txt"));
        assertEquals(List.of("[weird].txt"), expand("[[]weird].txt"));
    }

    @Test
    void aBracketWithoutItsCloseIsItself() throws Exception {
        Files.writeString(dir.resolve("[open.txt"), "");
        assertEquals(List.of("[open.txt"), expand("[open.txt"));
    }

    @Test
    void absolutePatternsAndPatternsMatchingNothing() {
        assertEquals(List.of("a.yaml"), new GlobPattern(dir + "/*.yaml").expand(Path.of("/nowhere")).stream()
                .map(p -> dir.relativize(p).toString()).toList());
        assertEquals(List.of(), expand("nothing/*.json"));
        assertEquals(List.of(), expand("*.none"));
    }

    @Test
    void theBaseIsWhereTheWildcardsStart() {
        assertEquals(dir.resolve("ui"), new GlobPattern("ui/*/config.json").base(dir));
        assertEquals(dir, new GlobPattern("**/*.yaml").base(dir));
    }

    @Test
    void pythonsGlobMakesTheSameOfThem() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        List<String> patterns = List.of("ui/*/config.json", "[a-z]*.txt", "**/*.yaml", "conf/**/*.yaml", "conf/**", ".env*",
                "ui/.*/config.json", "?.txt", "[!x].txt", "[-].txt", "[[]weird].txt", "*", "**", "*/*/*", "ui/**/*.json");
        String script = "import glob, sys\nfor p in sys.argv[1:]:\n    print('\\t'.join(sorted(m.rstrip('/') for m in glob.glob(p, recursive=True))))";
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", script));
        command.addAll(patterns);
        Process python = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new String(python.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertTrue(python.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && python.exitValue() == 0, String.join("\n", lines));
        for (int i = 0; i < patterns.size(); i++) {
            List<String> expected = lines.get(i).isEmpty() ? List.of() : List.of(lines.get(i).split("\t"));
            List<String> ours = expand(patterns.get(i)).stream().map(p -> p.isEmpty() ? "" : p).toList();
            assertEquals(expected, ours.stream().sorted().toList(), patterns.get(i));
        }
    }

    @Test
    void patternsAreEntriesWithStarQuestionMarkOrBracket() {
        assertTrue(GlobPattern.isPattern("a/*.json"));
        assertTrue(GlobPattern.isPattern("a?.json"));
        assertTrue(GlobPattern.isPattern("[ab].json"));
        assertFalse(GlobPattern.isPattern("config/app.json"));
    }
}
