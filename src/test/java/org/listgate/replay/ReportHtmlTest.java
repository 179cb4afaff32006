package org.listgate.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.ReplayRun;
import org.listgate.testing.ScriptedSmtpServer;
import org.listgate.testing.TestSite;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * {@code replay --html}: the page of a real replay, against listgate and against a server that
 * accepts every RCPT (so that every hostile member address is listed as a mismatch), read with the
 * JDK's XML parser and, when it is installed, rendered by headless Chromium.
 */
class ReportHtmlTest extends GatewayTestBase {

    private static final String SEED = "20";

    @Test
    void aPassingReplayAgainstListgateIsAWellFormedPageWithEveryKindAndTheTotals()
            throws Exception {
        Path scenario = dir.resolve("scenario");
        ReplayRun written = ReplayRun.of("--write-directory", scenario.toString(), "--seed", SEED);
        assertThat(written.exit()).as(written.err()).isZero();
        site =
                new TestSite(dir.resolve("site"))
                        .property("relay.networks", "127.0.0.0/8")
                        .users(
                                Files.readAllLines(
                                        scenario.resolve("users"), StandardCharsets.UTF_8))
                        .lists(Files.readString(scenario.resolve("lists"), StandardCharsets.UTF_8))
                        .start();
        Path page = dir.resolve("report.html");

        ReplayRun run =
                ReplayRun.of(
                        "--port",
                        String.valueOf(site.port()),
                        "--seed",
                        SEED,
                        "--events",
                        site.dir().resolve("events.jsonl").toString(),
                        "--maildir",
                        site.dir().resolve("mail").toString(),
                        "--json",
                        "--html",
                        page.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertSelfContained(html);
        Document document = parse(page);
        Map<String, Object> json = run.json();
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) json.get("totals");
        assertThat(texts(document, "//tr[@id='totals']/td"))
                .containsExactly(
                        "total",
                        "1,000",
                        "",
                        format(totals.get("delivered")),
                        format(totals.get("isolated")),
                        format(totals.get("refused")),
                        format(totals.get("skipped")),
                        "0");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> kinds = (List<Map<String, Object>>) json.get("kinds");
        List<String> labels = kinds.stream().map(k -> (String) k.get("label")).toList();
        assertThat(labels).hasSize(Kind.values().length);
        assertThat(texts(document, "//table[@id='fates']/tbody/tr/td[1]"))
                .containsExactlyElementsOf(labels);
        assertThat(texts(document, "//svg//text[@class='label']"))
                .containsExactlyElementsOf(concat(labels, "total"));
        assertThat(texts(document, "//span[@class='verdict pass']")).containsExactly("PASS");
        assertThat(texts(document, "//p[@id='survival']")).containsExactly("The server survived.");
        assertThat(texts(document, "//p[@id='mismatches']")).containsExactly("none");
        assertThat(texts(document, "//p[@id='result']").get(0))
                .isEqualTo(
                        "PASS: the server survived and every recipient met the expected fate"
                                + " (exit 0)");
    }

    @Test
    void hostileMemberAddressesAreEscapedAndTheBrowserShowsThemAsText() throws Exception {
        Path page = dir.resolve("hostile.html");
        Map<String, Object> json;
        try (ScriptedSmtpServer acceptAll = ScriptedSmtpServer.acceptAll()) {
            ReplayRun run =
                    ReplayRun.of(
                            "--port",
                            String.valueOf(acceptAll.port()),
                            "--seed",
                            SEED,
                            "--mode",
                            "client-list",
                            "--json",
                            "--html",
                            page.toString());
            assertThat(run.exit()).as(run.err()).isEqualTo(3);
            json = run.json();
        }

        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertSelfContained(html);
        assertThat(html)
                .doesNotContain("\u0007", "<angle", "\"unbalanced")
                .contains("&lt;angle2@example.test", "&quot;unbalanced1@example.test")
                .contains("bell\\x071@example.test");
        Document document = parse(page);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> mismatches = (List<Map<String, Object>>) json.get("mismatches");
        List<String> members = texts(document, "//td[@class='text member']");
        assertThat(members)
                .hasSize(mismatches.size())
                .contains("<angle2@example.test", "\"unbalanced1@example.test")
                .contains("bell\\x071@example.test");
        assertThat(texts(document, "//span[@class='verdict fail']")).containsExactly("FAIL");
        // SMTP replies only: an accepted column before the mismatches, which come last.
        assertThat(texts(document, "//tr[@id='totals']/td")).endsWith(format(mismatches.size()));

        // The same page in a browser: the totals are in its DOM, the hostile text is text.
        Optional<Path> chromium = chromium();
        assumeTrue(
                chromium.isPresent(),
                "chromium is not installed (apt-get install chromium): the page was checked as"
                        + " XML only");
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Browser dom = browser(chromium.get(), profile, "--dump-dom", page);
        assertThat(dom.exit()).as(dom.err()).isZero();
        Matcher totals = Pattern.compile("<tr id=\"totals\">(.*?)</tr>").matcher(dom.out());
        assertThat(totals.find()).as(dom.out()).isTrue();
        assertThat(totals.group(1))
                .contains(
                        "<td>1,000</td>",
                        "<td class=\"bad\">" + format(mismatches.size()) + "</td>");
        assertThat(dom.out())
                .contains("&lt;angle2@example.test")
                .doesNotContain("<angle2", "<script");
        assertThat(browserConsole(dom.err())).isEmpty();

        Path screenshot = dir.resolve("report.png");
        Browser shot =
                browser(
                        chromium.get(),
                        profile,
                        "--screenshot=" + screenshot + " --window-size=1280,1600",
                        page);
        assertThat(shot.exit()).as(shot.err()).isZero();
        assertThat(browserConsole(shot.err())).isEmpty();
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
    }

    /** No fetches, no scripts: nothing the page could load or run. */
    private static void assertSelfContained(String html) {
        assertThat(html.toLowerCase(java.util.Locale.ROOT))
                .doesNotContain("http://", "https://", "<script", " src=", "url(", "@import", "//");
    }

    private static Document parse(Path page) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(page.toFile());
    }

    private static List<String> texts(Document document, String xpath) throws Exception {
        NodeList nodes =
                (NodeList)
                        XPathFactory.newInstance()
                                .newXPath()
                                .evaluate(xpath, document, XPathConstants.NODESET);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    private static String format(Object n) {
        return String.format(java.util.Locale.ROOT, "%,d", ((Number) n).intValue());
    }

    private static Optional<Path> chromium() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private record Browser(int exit, String out, String err) {}

    /** Headless Chromium on the page, its console on stderr ({@code --enable-logging}). */
    private Browser browser(Path chromium, Path profile, String flags, Path page) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                chromium.toString(),
                                "--headless=new",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--user-data-dir=" + profile,
                                "--enable-logging=stderr",
                                "--v=0"));
        command.addAll(List.of(flags.split(" ")));
        command.add(page.toUri().toString());
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish within 120 s: " + command);
        }
        return new Browser(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * The page's console lines: Chromium logs them as {@code INFO:CONSOLE(n)}, and errors thrown.
     */
    private static List<String> browserConsole(String stderr) {
        return stderr.lines()
                .filter(line -> line.contains(":CONSOLE") || line.contains("Uncaught"))
                .toList();
    }
}
