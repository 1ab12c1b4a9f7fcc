package io.modelmonitor.pipeline.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packages of the pipeline module form layers: each may use only the packages before it in
 * {@link #ORDER}, so any package can be read and tested without those after it, and the dependency
 * graph has no cycle. The order and the reason for each place are in docs/architecture.md
 * ("Packages of the pipeline").
 */
class LayeringTest {
    private static final String ROOT = "io.modelmonitor.pipeline";

    /** Lowest first. */
    static final List<String> ORDER =
            List.of(
                    // event-time arithmetic, records and configuration: what everything else passes
                    // around
                    "time",
                    "record",
                    "options",
                    // reading and writing files and Kafka
                    "io",
                    "connect",
                    // which reference bundle is in force, by id: what every stage looks bundles up
                    // in
                    "references",
                    // the job's stages, each a Flink-free core with a thin operator
                    "results",
                    "labels",
                    "window",
                    "embed",
                    "alerts",
                    // the dataflow graph that wires the stages together
                    "job",
                    // what the commands need besides the job
                    "report",
                    "demo",
                    "bench",
                    // the command line, which lists every command
                    "cli");

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(ROOT);

    @Test
    void noPackageUsesOneAboveIt() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            int from = ORDER.indexOf(pipelinePackage(c));
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = pipelinePackage(d.getTargetClass());
                if (target != null && ORDER.indexOf(target) > from) {
                    violations.add(
                            pipelinePackage(c) + " -> " + target + ": " + d.getDescription());
                }
            }
        }
        assertEquals(
                "",
                String.join("\n", violations),
                "a package uses one above it in LayeringTest.ORDER; move the class, or pass the dependency in");
    }

    @Test
    void everyPackageHasItsPlace() {
        Set<String> packages =
                CLASSES.stream()
                        .map(LayeringTest::pipelinePackage)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(packages.size() > 10, "the pipeline's classes were not found: " + packages);
        assertEquals(
                new TreeSet<>(ORDER),
                packages,
                "a package is missing from LayeringTest.ORDER (or was removed)");
    }

    /**
     * The first package segment below the module's root, or null for classes outside the module.
     */
    private static String pipelinePackage(JavaClass c) {
        String name = c.getPackageName();
        if (!name.startsWith(ROOT + ".")) {
            return null;
        }
        String rest = name.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
