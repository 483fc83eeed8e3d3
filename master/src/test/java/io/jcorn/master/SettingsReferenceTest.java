package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

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
    void everyOptionHasASection() {
        String doc = SettingsReference.markdown();
        for (var arg : Settings.settings(Settings.spec())) {
            assertTrue(doc.contains("## `" + Settings.key(arg) + "`"), Settings.key(arg));
        }
    }
}
