package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Which {@code --kafka.*} settings count as secret, and that their values vanish from printed text.
 */
class SecretsTest {
    @Test
    void secretSettingNamesAreRecognisedAndOrdinaryOnesAreNot() {
        for (String secret :
                List.of(
                        "sasl.jaas.config",
                        "ssl.key.password",
                        "ssl.keystore.password",
                        "ssl.truststore.password",
                        "ssl.keystore.key",
                        "basic.auth.user.info",
                        "sasl.oauthbearer.client.secret",
                        "SSL.KEYSTORE.PASSWORD")) {
            assertTrue(Secrets.isSecret(secret), secret);
        }
        for (String ordinary :
                List.of(
                        "security.protocol",
                        "sasl.mechanism",
                        "ssl.truststore.location",
                        "ssl.keystore.location",
                        "ssl.truststore.type",
                        "key.deserializer",
                        "ssl.keystore.certificate.chain",
                        "sasl.oauthbearer.token.endpoint.url",
                        "transaction.timeout.ms",
                        "bootstrap.servers")) {
            assertFalse(Secrets.isSecret(ordinary), ordinary);
        }
    }

    @Test
    void secretValuesAndTheJaasPasswordAloneAreHiddenWhileOtherSettingsStay() {
        Properties kafka = new Properties();
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" "
                        + "password=\"pw-in-jaas-42\";";
        kafka.setProperty("sasl.jaas.config", jaas);
        kafka.setProperty("ssl.truststore.password", "trust-me-77");
        kafka.setProperty("ssl.truststore.location", "/etc/kafka/truststore.p12");
        kafka.setProperty("security.protocol", "SASL_SSL");
        Secrets secrets = Secrets.of(kafka);

        String message =
                "cannot connect: sasl.jaas.config="
                        + jaas
                        + ", login failed for password pw-in-jaas-42 "
                        + "(ssl.truststore.password=trust-me-77 for /etc/kafka/truststore.p12 over SASL_SSL)";
        assertEquals(
                "cannot connect: sasl.jaas.config=[hidden], login failed for password [hidden] "
                        + "(ssl.truststore.password=[hidden] for /etc/kafka/truststore.p12 over SASL_SSL)",
                secrets.redact(message));
    }

    @Test
    void withoutSecretsTextIsUnchanged() {
        Properties kafka = new Properties();
        kafka.setProperty("security.protocol", "SSL");
        kafka.setProperty("ssl.key.password", "");
        String text = "SSL handshake failed; ssl.key.password=";
        assertEquals(text, Secrets.of(kafka).redact(text));
        assertEquals(text, Secrets.NONE.redact(text));
    }
}
