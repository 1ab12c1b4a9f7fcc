package io.modelmonitor.pipeline.report;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium, offline, and checks that it renders: the page's own
 * render check reports no error and every chart laid out, Chromium logs no console error or failed
 * fetch, and the screenshot shows the charts' colours.
 *
 * <p>Skipped when {@code /usr/bin/chromium} is absent (a fresh machine); {@code
 * .ci/run-chromium-setup.sh} installs it. The page and the screenshot are kept in the build folder
 * ({@code report-screenshot.png}) for a person to look at.
 */
class HtmlReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** #1f6feb, the MMD p-value line (.s-mmd in the page's style sheet). */
    static final int MMD_BLUE = 0x1f6feb;

    static final int CHARTS = 7;

    @TempDir static Path profile;
    static Path buildDir;
    static Path html;

    @BeforeAll
    static void writePage() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "headless Chromium not found at "
                        + CHROMIUM
                        + ": browser rendering check skipped (install with .ci/run-chromium-setup.sh)");
        // test-classes/.. is this module's build folder, whatever -DbuildDir names it
        buildDir =
                Path.of(
                                HtmlReportBrowserTest.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                        .getParent();
        Path inputs = Files.createDirectories(buildDir.resolve("report-browser"));
        html = inputs.resolve("report.html");
        HtmlReport.write(
                SyntheticReportStream.writeReports(inputs),
                SyntheticReportStream.writeAlerts(inputs),
                html);
    }

    @Test
    void pageRendersWithoutErrorsAndLaysOutEveryChart() throws Exception {
        Result r = chromium("--dump-dom", html.toUri().toString());
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(r.stdout);
        assertTrue(body.find(), "no <body> in the dumped DOM; stderr:\n" + r.stderr);
        String attributes = body.group(1);
        assertTrue(
                attributes.contains("data-render=\"ok\""),
                "the page's render check did not report ok: "
                        + attributes
                        + "\n"
                        + errorText(r.stdout));
        assertTrue(attributes.contains("data-charts-drawn=\"" + CHARTS + "\""), attributes);
        assertEquals(CHARTS, HtmlReportTest.count(r.stdout, "<svg class=\"chart\""));
        assertEquals(
                List.of(), problems(r.stderr), "Chromium logged console errors or failed fetches");
    }

    @Test
    void screenshotShowsTheCharts() throws Exception {
        Path png = buildDir.resolve("report-screenshot.png");
        Files.deleteIfExists(png);
        Result r =
                chromium(
                        "--screenshot=" + png,
                        "--window-size=1400,2200",
                        "--hide-scrollbars",
                        html.toUri().toString());
        assertTrue(Files.size(png) > 10_000, "no screenshot; stderr:\n" + r.stderr);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1400, image.getWidth());
        int blue = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == MMD_BLUE) {
                    blue++;
                }
            }
        }
        assertTrue(
                blue > 200,
                "the MMD p-value lines are not visible in the screenshot (" + blue + " pixels)");
    }

    private record Result(String stdout, String stderr) {}

    private static Result chromium(String... args) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                CHROMIUM.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--disable-dev-shm-usage",
                                "--enable-logging=stderr",
                                "--v=0",
                                "--user-data-dir="
                                        + Files.createTempDirectory(profile, "chromium")));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(profile, "stdout", ".txt");
        Path err = Files.createTempFile(profile, "stderr", ".txt");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("Chromium did not finish within 90 s:\n" + Files.readString(err));
        }
        return new Result(
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * Console messages of the page and network failures; Chromium's own start-up chatter is not the
     * page's.
     */
    private static List<String> problems(String stderr) {
        List<String> out = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (line.contains("CONSOLE")
                    || line.contains("Uncaught")
                    || line.contains("net::ERR")
                    || line.contains("Content Security Policy")
                    || line.contains("Refused to")) {
                out.add(line);
            }
        }
        return out;
    }

    private static String errorText(String dom) {
        Matcher m =
                Pattern.compile("<span id=\"render-status\">(.*?)</span>", Pattern.DOTALL)
                        .matcher(dom);
        return m.find() ? m.group(1) : "";
    }
}
