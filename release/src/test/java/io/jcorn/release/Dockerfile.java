package io.jcorn.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Dockerfile's instructions in order, continuation lines joined, comments left out. */
record Dockerfile(List<Instruction> instructions) {
    /** One instruction: its name in upper case and the rest of its line. */
    record Instruction(String name, String arguments) {}

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> result = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            if (raw.isBlank() || raw.strip().startsWith("#")) continue;
            line.append(raw.strip());
            if (line.charAt(line.length() - 1) == '\\') {
                line.setLength(line.length() - 1);
                continue;
            }
            String[] parts = line.toString().split("\\s+", 2);
            result.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
            line.setLength(0);
        }
        return new Dockerfile(result);
    }

    /** The arguments of every instruction named {@code name}, in order. */
    List<String> all(String name) {
        return instructions.stream().filter(i -> i.name().equals(name)).map(Instruction::arguments).toList();
    }
}
