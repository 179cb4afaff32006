package org.listgate.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir Path dir;

    private Path file() {
        return dir.resolve("state");
    }

    private Path tmp() {
        return dir.resolve("state.tmp");
    }

    private static AtomicFile.Content text(String text) {
        return out -> out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheFileUnderItsNameAndLeavesNoTemporaryFile() throws IOException {
        AtomicFile.write(tmp(), file(), text("new\n"));

        assertThat(file()).hasContent("new");
        assertThat(dir).isDirectoryNotContaining(path -> path.equals(tmp()));
    }

    @Test
    void partsInMemoryAreWrittenWholeInOrderAndTheTemporaryFileIsKeptForItsPublisher()
            throws IOException {
        byte[] large = new byte[300_000];
        java.util.Arrays.fill(large, (byte) 'x');
        java.nio.ByteBuffer shared = java.nio.ByteBuffer.wrap(large);
        java.nio.ByteBuffer[] parts = {
            java.nio.ByteBuffer.wrap("head\n".getBytes(StandardCharsets.US_ASCII)),
            shared.duplicate(),
            java.nio.ByteBuffer.wrap(new byte[0]),
            java.nio.ByteBuffer.wrap("tail\n".getBytes(StandardCharsets.US_ASCII))
        };
        List<Path> finished = new ArrayList<>();

        AtomicFile.writeUnforced(tmp(), parts, finished::add);

        assertThat(finished).containsExactly(tmp());
        byte[] written = Files.readAllBytes(tmp());
        assertThat(written).hasSize(5 + large.length + 5);
        assertThat(new String(written, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("head\n");
        assertThat(new String(written, written.length - 5, 5, StandardCharsets.US_ASCII))
                .isEqualTo("tail\n");
        assertThat(shared.position()).as("the shared buffer itself is not consumed").isZero();
    }

    @Test
    void partsAreNeverWrittenOverAnotherWritersTemporaryFile() throws IOException {
        Files.writeString(tmp(), "another writer's copy\n");
        java.nio.ByteBuffer[] parts = {
            java.nio.ByteBuffer.wrap("mine\n".getBytes(StandardCharsets.US_ASCII))
        };

        assertThatThrownBy(() -> AtomicFile.writeUnforced(tmp(), parts, written -> {}))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(tmp()).hasContent("another writer's copy");
    }

    @Test
    void replacesTheOldFileWhole() throws IOException {
        Files.writeString(file(), "old, and longer than the new one\n");

        AtomicFile.write(tmp(), file(), text("new\n"));

        assertThat(Files.readString(file())).isEqualTo("new\n");
    }

    @Test
    void aWriterThatFailsMidwayLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Files.writeString(file(), "old\n");

        assertThatThrownBy(
                        () ->
                                AtomicFile.write(
                                        tmp(),
                                        file(),
                                        out -> {
                                            out.write(
                                                    "half of the new"
                                                            .getBytes(StandardCharsets.UTF_8));
                                            out.flush();
                                            throw new IOException("No space left on device");
                                        }))
                .isInstanceOf(IOException.class)
                .hasMessage("No space left on device");

        assertThat(Files.readString(file())).isEqualTo("old\n");
        assertThat(tmp()).doesNotExist();
    }

    @Test
    void aWriterThatThrowsUncheckedLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Files.writeString(file(), "old\n");

        assertThatThrownBy(
                        () ->
                                AtomicFile.write(
                                        tmp(),
                                        file(),
                                        out -> {
                                            out.write(
                                                    "x"
                                                            .repeat(100_000)
                                                            .getBytes(StandardCharsets.UTF_8));
                                            throw new IllegalStateException("a bug in the writer");
                                        }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(Files.readString(file())).isEqualTo("old\n");
        assertThat(tmp()).doesNotExist();
    }

    @Test
    void aFailingNewFileIsNeverCreated() {
        assertThatThrownBy(
                        () ->
                                AtomicFile.write(
                                        tmp(),
                                        file(),
                                        out -> {
                                            throw new IOException("disk full");
                                        }))
                .isInstanceOf(IOException.class);

        assertThat(file()).doesNotExist();
        assertThat(tmp()).doesNotExist();
    }

    @Test
    void aPublishStepThatFailsLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Files.writeString(file(), "old\n");

        assertThatThrownBy(
                        () ->
                                AtomicFile.write(
                                        tmp(),
                                        file(),
                                        text("new\n"),
                                        (tmp, target) -> {
                                            throw new IOException("rename failed");
                                        }))
                .hasMessage("rename failed");

        assertThat(Files.readString(file())).isEqualTo("old\n");
        assertThat(tmp()).doesNotExist();
    }

    @Test
    void aPublishStepOfTheCallersOwnGivesTheName() throws IOException {
        AtomicFile.write(
                tmp(),
                file(),
                text("linked\n"),
                (tmp, target) -> {
                    Files.createLink(target, tmp);
                    Files.delete(tmp);
                    AtomicFile.forceDirectory(target.getParent());
                });

        assertThat(Files.readString(file())).isEqualTo("linked\n");
        assertThat(tmp()).doesNotExist();
    }

    @Test
    void theFileIsCreatedWithItsModeAndFinishedBeforeItIsForcedAndPublished() throws IOException {
        List<String> steps = new ArrayList<>();

        AtomicFile.write(
                tmp(),
                file(),
                out -> {
                    steps.add("written, " + mode(tmp()));
                    out.write('x');
                },
                written -> {
                    steps.add("finished");
                    Files.setPosixFilePermissions(
                            written, PosixFilePermissions.fromString("rw-rw----"));
                },
                (tmp, target) -> {
                    steps.add("published, " + mode(tmp));
                    AtomicFile.rename(tmp, target);
                },
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        assertThat(steps).containsExactly("written, rw-------", "finished", "published, rw-rw----");
        assertThat(mode(file())).isEqualTo("rw-rw----");
    }

    @Test
    void aFinishStepThatFailsLeavesNoFile() {
        assertThatThrownBy(
                        () ->
                                AtomicFile.write(
                                        tmp(),
                                        file(),
                                        text("new\n"),
                                        written -> {
                                            throw new IOException("Operation not permitted");
                                        },
                                        AtomicFile::rename))
                .hasMessage("Operation not permitted");

        assertThat(file()).doesNotExist();
        assertThat(tmp()).doesNotExist();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void anotherWritersTemporaryFileIsNeitherTruncatedNorRemoved() throws IOException {
        Files.writeString(tmp(), "another writer's copy");

        assertThatThrownBy(() -> AtomicFile.write(tmp(), file(), text("new\n")))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertThat(Files.readString(tmp())).isEqualTo("another writer's copy");
        assertThat(file()).doesNotExist();
    }
}
