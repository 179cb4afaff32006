package org.listgate.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.management.JMException;
import javax.management.ObjectName;
import org.listgate.address.Mailbox;
import org.listgate.directory.Directory;
import org.listgate.directory.DirectoryUnavailable;
import org.listgate.directory.Entry;
import org.listgate.events.EventLog;

/**
 * The heap a loaded files directory keeps live: what JMH does not measure ({@code
 * gc.alloc.rate.norm} is what an op allocates, not what stays). Not a benchmark but a program in
 * the benchmarks' jar:
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx2g -cp target/benchmarks.jar org.listgate.bench.DirectoryFootprint \
 *     [USERS LISTS DOMAIN | sample MEMBERS SHAPE] [--histogram]
 * </pre>
 *
 * <p>It loads the users file alone, the lists file alone, and both, each time reading the used heap
 * after collecting until it no longer shrinks, and prints the bytes kept per user (users alone) and
 * per list member (both, less the users alone: a member that is a user may share what the user
 * keeps; and the lists alone, where nothing is shared). {@code sample}: a {@link SampleDirectory}
 * written to a scratch folder (default: 100,000 members, flat). {@code --histogram}: the classes
 * that hold the most of the heap with both files loaded.
 */
public final class DirectoryFootprint {

    private DirectoryFootprint() {}

    public static void main(String[] args)
            throws IOException, InterruptedException, DirectoryUnavailable, JMException {
        List<String> arguments = List.of(args);
        boolean histogram = arguments.contains("--histogram");
        List<String> rest = arguments.stream().filter(a -> !a.equals("--histogram")).toList();
        Path folder = null;
        Path users;
        Path lists;
        String domain;
        if (rest.size() == 3 && !rest.get(0).equals("sample")) {
            users = Path.of(rest.get(0));
            lists = Path.of(rest.get(1));
            domain = rest.get(2);
        } else {
            int members = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 100_000;
            String shape = rest.size() > 2 ? rest.get(2) : "flat";
            folder = Scratch.folder("footprint");
            SampleDirectory.write(folder, members, shape);
            users = SampleDirectory.users(folder);
            lists = SampleDirectory.lists(folder);
            domain = SampleDirectory.DOMAIN;
        }
        try {
            Path none = users.resolveSibling("no-such-file-" + System.nanoTime());
            long userCount = userLines(users);
            long[] memberCount = {0};
            // Once unmeasured: the classes and caches a first load brings are not the directory's.
            kept(domain, users, lists, directory -> {});
            long withUsers = kept(domain, users, none, directory -> {});
            long withLists =
                    kept(domain, none, lists, directory -> memberCount[0] = members(directory));
            long withBoth =
                    kept(
                            domain,
                            users,
                            lists,
                            directory -> {
                                if (histogram) {
                                    System.out.println(histogram(25));
                                }
                            });
            System.out.printf(
                    Locale.ROOT,
                    "users %,d, list members %,d%n"
                            + "users alone: %,d bytes, %.1f a user%n"
                            + "lists alone: %,d bytes, %.1f a member%n"
                            + "both: %,d bytes; %.1f a member beyond the users%n",
                    userCount,
                    memberCount[0],
                    withUsers,
                    (double) withUsers / userCount,
                    withLists,
                    (double) withLists / memberCount[0],
                    withBoth,
                    (double) (withBoth - withUsers) / memberCount[0]);
        } finally {
            if (folder != null) {
                Scratch.remove(folder);
            }
        }
    }

    /** What is done with a directory while it is loaded. */
    private interface WhileLoaded {
        void accept(Directory directory) throws DirectoryUnavailable, JMException;
    }

    /**
     * The bytes that loading {@code users} and {@code lists} keeps live, the directory then handed
     * to {@code then}.
     */
    private static long kept(String domain, Path users, Path lists, WhileLoaded then)
            throws InterruptedException, DirectoryUnavailable, JMException {
        long empty = settledUse();
        Directory directory = load(domain, users, lists);
        try {
            long kept = settledUse() - empty;
            then.accept(directory);
            return kept;
        } finally {
            Reference.reachabilityFence(directory);
        }
    }

    private static Directory load(String domain, Path users, Path lists) {
        Directory directory = new Directory(List.of(domain), users, lists, EventLog.detached());
        directory.reload();
        return directory;
    }

    /** The lines of the users file that name a user (neither blank nor a comment). */
    private static long userLines(Path users) throws IOException {
        try (var lines = Files.lines(users, StandardCharsets.UTF_8)) {
            return lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
        }
    }

    private static long members(Directory directory) throws DirectoryUnavailable {
        long members = 0;
        for (Mailbox list : directory.distributionLists()) {
            if (directory.lookup(list).orElseThrow() instanceof Entry.DistributionList found) {
                members += found.members().size();
            }
        }
        return members;
    }

    /** The used heap once a full collection no longer frees anything worth counting. */
    private static long settledUse() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(50);
            long now = runtime.totalMemory() - runtime.freeMemory();
            if (used - now < 1024 && i >= 3) {
                return now;
            }
            used = now;
        }
        return used;
    }

    /**
     * The first {@code lines} of the JVM's class histogram (what {@code jcmd GC.class_histogram}
     * shows).
     */
    private static String histogram(int lines) throws JMException {
        String all =
                (String)
                        ManagementFactory.getPlatformMBeanServer()
                                .invoke(
                                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                        "gcClassHistogram",
                                        new Object[] {new String[0]},
                                        new String[] {String[].class.getName()});
        return all.lines().limit(lines).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
