package io.jcorn.release;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/kubernetes/jcorn.yaml, as far as it can be checked without a cluster: it parses, and
 * its ports, probes, user and grace period agree with the image it runs
 * (examples/docker/Dockerfile and the jcorn.conf it copies in) and with jcorn's flags.
 */
class KubernetesExampleTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("jcorn.source", "..")).resolve("examples");

    @Test
    void theDeploymentAgreesWithTheImageAndJcornsSettings() throws IOException {
        List<Map<String, Object>> documents = documents();
        Map<String, Object> deployment = only(documents, "Deployment");
        Map<String, Object> service = only(documents, "Service");
        assertEquals("apps/v1", deployment.get("apiVersion"));
        assertEquals("v1", service.get("apiVersion"));

        Map<String, Object> template = map(map(deployment, "spec"), "template");
        Map<String, Object> labels = map(map(template, "metadata"), "labels");
        assertTrue(labels.entrySet().containsAll(map(map(map(deployment, "spec"), "selector"), "matchLabels").entrySet()),
                "the Deployment's selector matches its pods");
        assertTrue(labels.entrySet().containsAll(map(map(service, "spec"), "selector").entrySet()),
                "the Service's selector matches the pods");

        Map<String, Object> pod = map(template, "spec");
        Map<String, Object> container = list(pod, "containers").getFirst();
        Properties conf = jcornConf();
        int http = port(conf.getProperty("bind"));
        int metrics = port(conf.getProperty("metrics_bind"));
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            Map<String, Object> get = map(map(container, probe), "httpGet");
            assertEquals("/healthz", get.get("path"), probe);
            assertEquals(metrics, containerPort(container, get.get("port")), probe + " asks metrics_bind's port");
        }
        Object target = list(map(service, "spec"), "ports").getFirst().get("targetPort");
        assertEquals(http, containerPort(container, target), "the Service sends to jcorn's bind port");
        assertEquals(List.of(http, metrics), exposed(), "the image exposes both ports");

        int grace = (Integer) pod.get("terminationGracePeriodSeconds");
        int preStop = preStopSeconds(container);
        int graceful = Integer.parseInt(conf.getProperty("graceful_timeout"));
        assertTrue(grace > preStop + graceful, "terminationGracePeriodSeconds " + grace + " > preStop " + preStop
                + " s + graceful_timeout " + graceful + " s: jcorn stops before SIGKILL");

        Map<String, Object> security = map(pod, "securityContext");
        assertEquals(true, security.get("runAsNonRoot"));
        assertEquals(imageUser(), security.get("runAsUser") + ":" + security.get("runAsGroup"));
        for (Map<String, Object> variable : list(container, "env")) {
            assertEquals("JCORN_CMD_ARGS", variable.get("name"));
            String settings = Files.readString(EXAMPLES.resolve("../docs/settings.md"));
            for (String word : ((String) variable.get("value")).split("\\s+")) {
                if (word.startsWith("--")) assertTrue(settings.contains("`" + word), word + " is a jcorn flag");
            }
        }
    }

    private static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader yaml = Files.newBufferedReader(EXAMPLES.resolve("kubernetes/jcorn.yaml"))) {
            for (Object document : new Yaml().loadAll(yaml)) documents.add(cast(document));
        }
        return documents;
    }

    private static Map<String, Object> only(List<Map<String, Object>> documents, String kind) {
        List<Map<String, Object>> found = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, found.size(), "one " + kind);
        return found.getFirst();
    }

    private static int containerPort(Map<String, Object> container, Object port) {
        for (Map<String, Object> declared : list(container, "ports")) {
            if (port.equals(declared.get("name")) || port.equals(declared.get("containerPort"))) {
                return (Integer) declared.get("containerPort");
            }
        }
        throw new AssertionError("no container port " + port);
    }

    private static int preStopSeconds(Map<String, Object> container) {
        if (!(container.get("lifecycle") instanceof Map<?, ?> lifecycle)) return 0;
        List<?> command = (List<?>) ((Map<?, ?>) ((Map<?, ?>) lifecycle.get("preStop")).get("exec")).get("command");
        assertEquals("sleep", command.getFirst());
        return Integer.parseInt((String) command.get(1));
    }

    private static Properties jcornConf() throws IOException {
        Properties conf = new Properties();
        try (Reader reader = Files.newBufferedReader(EXAMPLES.resolve("docker/jcorn.conf"))) {
            conf.load(reader);
        }
        return conf;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static List<Integer> exposed() throws IOException {
        return Dockerfile.read(EXAMPLES.resolve("docker/Dockerfile")).all("EXPOSE").stream()
                .flatMap(ports -> java.util.Arrays.stream(ports.split("\\s+"))).map(Integer::parseInt).toList();
    }

    private static String imageUser() throws IOException {
        return Dockerfile.read(EXAMPLES.resolve("docker/Dockerfile")).all("USER").stream().reduce((a, b) -> b).orElse("root");
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertTrue(parent.get(key) instanceof Map, key + " is a mapping");
        return cast(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        assertTrue(parent.get(key) instanceof List, key + " is a list");
        return (List<Map<String, Object>>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
