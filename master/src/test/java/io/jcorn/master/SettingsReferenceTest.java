package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsReferenceTest {
    private static final Path DOC = Path.of("../docs/settings.md");

    @Test
    void docsSettingsMdIsUpToDate() throws Exception {
        String expected = SettingsReference.markdown();
        if (Boolean.getBoolean("jcorn.settings.regenerate")) Files.writeString(DOC, expected);
        String committed = Files.exists(DOC) ? Files.readString(DOC) : "";
        assertEquals(expected, committed, "docs/settings.md is out of date; regenerate it with:\n    "
                + SettingsReference.REGENERATE + "\n");
    }

    @Test
    void theReleasesCommentedConfigFileIsUpToDate() throws Exception {
        Path conf = Path.of("../release/src/conf/jcorn.conf");
        String expected = SettingsReference.configFile();
        if (Boolean.getBoolean("jcorn.settings.regenerate")) Files.writeString(conf, expected);
        assertEquals(expected, Files.exists(conf) ? Files.readString(conf) : "",
                "release/src/conf/jcorn.conf is out of date; regenerate it with:\n    " + SettingsReference.REGENERATE + "\n");
    }

    @Test
    void theCommentedConfigFileReadsAsTheDefaults() {
        List<String> uncommented = SettingsReference.configFile().lines()
                .filter(l -> l.matches("#[a-z_]+ = .*")).map(l -> l.substring(1)).toList();
        assertEquals(Settings.settings(Settings.spec()).size() - SettingsReference.NOT_IN_THE_CONFIG_FILE.size(),
                uncommented.size());
        ConfigFile.parse("jcorn.conf", uncommented.stream().filter(l -> !l.endsWith("= ")).toList(), Settings.spec());
    }

    @Test
    void everyOptionHasASection() {
        String doc = SettingsReference.markdown();
        for (var arg : Settings.settings(Settings.spec())) {
            assertTrue(doc.contains("## `" + Settings.key(arg) + "`"), Settings.key(arg));
        }
    }
}
