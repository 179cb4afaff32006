package org.listgate.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.listgate.address.Addresses;

/**
 * Fuzz target for {@link AliasesReader}: any bytes as a lists file. Seeds in {@code
 * AliasesReaderFuzzTestInputs/<method>/}; README, "Fuzzing".
 */
class AliasesReaderFuzzTest {

    /**
     * Nothing throws; the logical lines and members are no more than the file holds, each member is
     * traced to a line of its logical line, and a comma stays inside a member only within a quoted
     * local part.
     */
    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void readsAnyListsFileIntoBoundedLinesAndMembers(byte[] file) {
        List<String> lines = lines(file);
        int characters = lines.stream().mapToInt(String::length).sum();

        List<AliasesReader.Logical> logicalLines = AliasesReader.read(lines);

        assertThat(logicalLines.size()).isLessThanOrEqualTo(lines.size());
        assertThat(logicalLines.stream().mapToInt(logical -> logical.text().length()).sum())
                .isLessThanOrEqualTo(characters + lines.size());
        int previousEnd = 0;
        for (AliasesReader.Logical logical : logicalLines) {
            String text = logical.text();
            assertThat(text).isNotEmpty().isEqualTo(text.strip());
            int lastLine = logical.starts().get(logical.starts().size() - 1)[1];
            assertThat(logical.line()).isGreaterThan(previousEnd);
            assertThat(lastLine).isBetween(logical.line(), lines.size());
            previousEnd = lastLine;

            int previousOffset = -1;
            for (AliasesReader.Piece piece : AliasesReader.pieces(text)) {
                String member = piece.text();
                assertThat(member).isNotEmpty().isEqualTo(member.strip());
                assertThat(piece.offset()).isGreaterThan(previousOffset);
                assertThat(text.startsWith(member, piece.offset()))
                        .as("offset of %s", member)
                        .isTrue();
                previousOffset = piece.offset() + member.length();
                assertThat(logical.lineAt(piece.offset())).isBetween(logical.line(), lastLine);
                if (member.indexOf(',') >= 0) {
                    assertThat(member).startsWith("\"");
                }
                assertThat(Addresses.parse(member)).isNotNull();
            }
        }
    }

    /** The lines of a lists file as {@link DirectoryLoader} reads them. */
    private static List<String> lines(byte[] file) {
        var decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE);
        var reader =
                new BufferedReader(new InputStreamReader(new ByteArrayInputStream(file), decoder));
        return reader.lines().toList();
    }
}
