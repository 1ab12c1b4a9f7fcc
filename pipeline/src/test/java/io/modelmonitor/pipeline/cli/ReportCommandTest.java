package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @Test
    void writesAPageFromAReportFile(@TempDir Path dir) throws Exception {
        Path reports = dir.resolve("reports.jsonl");
        Files.writeString(
                reports,
                String.join(
                        "\n",
                        "{\"model\":\"m\",\"window_start\":\"2026-11-28T10:00:00Z\",\"window_end\":\"2026-11-28T11:00:00Z\","
                                + "\"revision\":0,\"count\":100,\"insufficient\":false,\"drift\":{\"mmd\":{\"statistic\":0.01,"
                                + "\"p_value\":0.5,\"drift\":false}}}",
                        "{\"model\":\"m\",\"window_start\":\"2026-11-28T11:00:00Z\",\"window_end\":\"2026-11-28T12:00:00Z\","
                                + "\"revision\":0,\"count\":100,\"insufficient\":false,\"drift\":{\"mmd\":{\"statistic\":0.2,"
                                + "\"p_value\":0.001,\"drift\":true}}}",
                        "not json: skipped"));
        Path html = dir.resolve("r.html");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        new String[] {
                            "report", "--reports", "file:" + reports, "--out", html.toString()
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err));
        assertEquals(0, status, err.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("<svg"), "has charts");
        assertTrue(page.contains(">m<") || page.contains("m</"), "names the model");
        assertEquals(
                2,
                Main.execute(
                        new String[] {
                            "report",
                            "--reports",
                            "file:" + dir.resolve("missing"),
                            "--out",
                            html.toString()
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(new ByteArrayOutputStream())));
    }
}
