package io.modelmonitor.models.outlier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.models.numeric.Standardizer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutlierAutoencoderTest {

    static double[] vector(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    static double[][] matrix(JsonNode node) {
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(node.get(i));
        }
        return m;
    }

    static List<double[][]> weights(JsonNode node) {
        List<double[][]> out = new ArrayList<>();
        node.forEach(w -> out.add(matrix(w)));
        return out;
    }

    static List<double[]> biases(JsonNode node) {
        List<double[]> out = new ArrayList<>();
        node.forEach(b -> out.add(vector(b)));
        return out;
    }

    /**
     * Forward pass, backward pass and Adam against numpy (make_fixtures.py, autoencoder_fixture).
     */
    @Test
    void adamStepsMatchNumpy() throws Exception {
        JsonNode f;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/autoencoder_adam.json")) {
            f = new ObjectMapper().readTree(in);
        }
        double[][] batch = matrix(f.get("batch"));
        OutlierAutoencoder ae =
                OutlierAutoencoder.of(
                        Standardizer.identity(5),
                        weights(f.get("initial").get("weights")),
                        biases(f.get("initial").get("biases")));
        AutoencoderTrainer trainer =
                AutoencoderTrainer.continuing(ae, f.get("learning_rate").asDouble());
        for (JsonNode step : f.get("steps")) {
            double loss = trainer.step(batch);
            assertEquals(step.get("loss_before_step").asDouble(), loss, 1e-12);
            List<double[][]> want = weights(step.get("weights"));
            List<double[]> wantBias = biases(step.get("biases"));
            for (int l = 0; l < 4; l++) {
                for (int o = 0; o < want.get(l).length; o++) {
                    assertArrayEquals(
                            want.get(l)[o],
                            ae.weights().get(l)[o],
                            1e-12,
                            "layer " + l + " row " + o);
                }
                assertArrayEquals(wantBias.get(l), ae.biases().get(l), 1e-12, "bias " + l);
            }
        }
        assertArrayEquals(vector(f.get("scores_after")), ae.score(batch), 1e-12);
    }

    static double[][] gaussianOnALine(int n, int d, long seed) {
        // points near a 2-D subspace of R^d: an autoencoder with a bottleneck of 2 learns it
        Random random = new Random(seed);
        double[][] basis = new double[2][d];
        Random basisRandom = new Random(99);
        for (double[] row : basis) {
            for (int j = 0; j < d; j++) {
                row[j] = basisRandom.nextGaussian();
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            for (int j = 0; j < d; j++) {
                x[i][j] = a * basis[0][j] + b * basis[1][j] + 0.05 * random.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndLossDecreases() {
        double[][] x = gaussianOnALine(300, 12, 1);
        OutlierAutoencoder.Builder builder =
                OutlierAutoencoder.builder()
                        .optHidden(16)
                        .optBottleneck(2)
                        .optEpochs(30)
                        .optSeed(3)
                        .optLearningRate(3e-3);
        OutlierAutoencoder a = builder.fit(x);
        OutlierAutoencoder b = builder.fit(x);
        for (int l = 0; l < 4; l++) {
            for (int o = 0; o < a.weights().get(l).length; o++) {
                assertArrayEquals(a.weights().get(l)[o], b.weights().get(l)[o], 0.0);
            }
        }
        double[] losses = a.epochLosses();
        assertTrue(losses[losses.length - 1] < 0.5 * losses[0], java.util.Arrays.toString(losses));
        OutlierAutoencoder c =
                OutlierAutoencoder.builder()
                        .optHidden(16)
                        .optBottleneck(2)
                        .optEpochs(30)
                        .optSeed(4)
                        .optLearningRate(3e-3)
                        .fit(x);
        assertTrue(a.weights().get(0)[0][0] != c.weights().get(0)[0][0]);
    }

    @Test
    void offSubspacePointsScoreHigherAndRestoredModelScoresTheSame() {
        double[][] train = gaussianOnALine(400, 12, 1);
        double[][] heldOut = gaussianOnALine(100, 12, 2);
        OutlierAutoencoder ae =
                OutlierAutoencoder.builder()
                        .optHidden(16)
                        .optBottleneck(2)
                        .optEpochs(60)
                        .optLearningRate(3e-3)
                        .optSeed(5)
                        .fit(train);
        Random random = new Random(8);
        double[][] outliers = new double[100][12];
        for (double[] row : outliers) {
            for (int j = 0; j < 12; j++) {
                row[j] = 2 * random.nextGaussian();
            }
        }
        double auc = rocAuc(ae.score(outliers), ae.score(heldOut));
        assertTrue(auc > 0.95, "AUC " + auc);
        OutlierAutoencoder restored =
                OutlierAutoencoder.of(
                        Standardizer.of(ae.inputScaler().mean(), ae.inputScaler().scale()),
                        ae.weights(),
                        ae.biases());
        assertArrayEquals(ae.score(heldOut), restored.score(heldOut), 0.0);
        assertThrows(
                IllegalArgumentException.class,
                () -> OutlierAutoencoder.of(Standardizer.identity(11), ae.weights(), ae.biases()));
    }

    /** P(score of a positive > score of a negative), ties counting one half. */
    static double rocAuc(double[] positives, double[] negatives) {
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.length * negatives.length);
    }
}
