package io.kedge.apiserver.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static token file: one CSV line per token, {@code token,user,uid,"group1,group2"}, as
 * kube-apiserver's {@code --token-auth-file} reads it.
 */
public final class TokenFile {
    private TokenFile() {}

    public static Map<String, UserInfo> read(Path file) throws IOException {
        Map<String, UserInfo> tokens = new HashMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = splitCsv(line, file, lineNo);
            if (f.size() < 3 || f.get(0).isEmpty() || f.get(1).isEmpty()) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected token,user,uid[,\"groups\"]");
            }
            List<String> groups = new ArrayList<>();
            if (f.size() > 3) {
                for (String g : f.get(3).split(",")) {
                    if (!g.isBlank()) groups.add(g.trim());
                }
            }
            tokens.put(f.get(0), new UserInfo(f.get(1), f.get(2), groups));
        }
        return tokens;
    }

    private static List<String> splitCsv(String line, Path file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": unterminated quote");
        }
        out.add(cur.toString().trim());
        return out;
    }
}
