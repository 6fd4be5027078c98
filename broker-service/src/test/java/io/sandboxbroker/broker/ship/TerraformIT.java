package io.sandboxbroker.broker.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.db.PoolTable;
import io.sandboxbroker.broker.support.Repo;
import io.sandboxbroker.jobs.store.table.QuartzTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * Checks {@code terraform/} without a terraform binary: {@code scripts/hcl2json.mjs} parses every
 * {@code *.tf} with HashiCorp's HCL parser (npm {@code @cdktf/hcl2json}) and this test reads the
 * JSON. It checks that every reference resolves, the services and task definitions are the ones the
 * application needs, no secret sits in plain environment, IAM stays narrow, and both DynamoDB tables
 * have exactly the keys and indexes the code creates.
 */
class TerraformIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{");
    private static final Pattern RESOURCE_REF =
            Pattern.compile("(?<![\\w.\\-\"])(aws_[a-z0-9_]+)\\.([A-Za-z_][\\w-]*)");
    private static final Pattern DATA_REF = Pattern.compile("(?<![\\w.])data\\.([a-z0-9_]+)\\.([A-Za-z_][\\w-]*)");
    private static final Pattern VAR_REF = Pattern.compile("(?<![\\w.])var\\.([A-Za-z_][\\w-]*)");
    private static final Pattern LOCAL_REF = Pattern.compile("(?<![\\w.])local\\.([A-Za-z_][\\w-]*)");
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(TOKEN|PASSWORD|SECRET|PRIVATE_KEY|CREDENTIAL).*");

    /** File name → parsed file. */
    private static Map<String, JsonNode> files;
    /** "type.name" → block body, across files; duplicates fail in {@link #parse()}. */
    private static final Map<String, JsonNode> resources = new TreeMap<>();

    private static final Map<String, JsonNode> dataSources = new TreeMap<>();
    private static final Map<String, JsonNode> variables = new TreeMap<>();
    private static final Map<String, JsonNode> locals = new TreeMap<>();

    @BeforeAll
    static void parse() throws Exception {
        Path root = Repo.root();
        Path node = root.resolve("node_modules/@cdktf/hcl2json");
        assertThat(node).as("npm ci installs @cdktf/hcl2json").isDirectory();
        Process process = new ProcessBuilder("node", "scripts/hcl2json.mjs", "terraform")
                .directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("every terraform/*.tf parses").isZero();
        JsonNode all = JSON.readTree(new String(out, StandardCharsets.UTF_8));
        files = new TreeMap<>();
        all.fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue()));
        assertThat(files.keySet())
                .contains(
                        "versions.tf",
                        "variables.tf",
                        "outputs.tf",
                        "ecs.tf",
                        "alb.tf",
                        "dynamodb.tf",
                        "iam.tf",
                        "secrets.tf",
                        "monitoring.tf",
                        "waf.tf",
                        "network.tf");

        for (JsonNode file : files.values()) {
            collectTyped(file.path("resource"), resources, "resource");
            collectTyped(file.path("data"), dataSources, "data");
            file.path("variable")
                    .fields()
                    .forEachRemaining(
                            e -> putOnce(variables, e.getKey(), e.getValue().get(0), "variable"));
            for (JsonNode block : file.path("locals")) {
                block.fields().forEachRemaining(e -> putOnce(locals, e.getKey(), e.getValue(), "local"));
            }
        }
    }

    private static void collectTyped(JsonNode section, Map<String, JsonNode> into, String kind) {
        section.fields()
                .forEachRemaining(type -> type.getValue()
                        .fields()
                        .forEachRemaining(named -> putOnce(
                                into,
                                type.getKey() + "." + named.getKey(),
                                named.getValue().get(0),
                                kind)));
    }

    private static void putOnce(Map<String, JsonNode> into, String key, JsonNode value, String kind) {
        assertThat(into).as("%s %s is declared once", kind, key).doesNotContainKey(key);
        into.put(key, value);
    }

    // ---- references ----

    /** Every expression string in the parsed files (strings holding an interpolation). */
    private static List<String> expressions() {
        List<String> found = new ArrayList<>();
        files.values().forEach(f -> collectExpressions(f, found));
        return found;
    }

    private static void collectExpressions(JsonNode node, List<String> into) {
        if (node.isTextual() && INTERPOLATION.matcher(node.asText()).find()) {
            into.add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> collectExpressions(child, into));
        }
    }

    private static Set<String> matches(Pattern pattern, List<String> expressions, boolean typed) {
        Set<String> refs = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = pattern.matcher(expression);
            while (m.find()) {
                refs.add(typed ? m.group(1) + "." + m.group(2) : m.group(1));
            }
        }
        return refs;
    }

    @Test
    void everyReference_resolves() {
        List<String> expressions = expressions();
        assertThat(expressions).hasSizeGreaterThan(50);
        assertThat(matches(RESOURCE_REF, expressions, true))
                .as("referenced resources")
                .isNotEmpty()
                .allSatisfy(ref -> assertThat(resources).as("resource %s", ref).containsKey(ref));
        assertThat(matches(DATA_REF, expressions, true))
                .as("referenced data sources")
                .isNotEmpty()
                .allSatisfy(ref -> assertThat(dataSources).as("data.%s", ref).containsKey(ref));
        assertThat(matches(VAR_REF, expressions, false))
                .as("referenced variables")
                .isNotEmpty()
                .allSatisfy(ref -> assertThat(variables).as("var.%s", ref).containsKey(ref));
        assertThat(matches(LOCAL_REF, expressions, false))
                .as("referenced locals")
                .isNotEmpty()
                .allSatisfy(ref -> assertThat(locals).as("local.%s", ref).containsKey(ref));
    }

    @Test
    void everyDeclaration_isUsed() {
        List<String> expressions = expressions();
        assertThat(variables.keySet()).as("unused variables").isSubsetOf(matches(VAR_REF, expressions, false));
        assertThat(dataSources.keySet()).as("unused data sources").isSubsetOf(matches(DATA_REF, expressions, true));
        assertThat(locals.keySet())
                .as("unused locals (tags are used by the provider)")
                .isSubsetOf(matches(LOCAL_REF, expressions, false));
    }

    @Test
    void referenceCheck_catchesAMissingResource() {
        // The checker's own premise: a typo'd reference is found.
        List<String> typo = List.of("${aws_iam_role.nope.arn}", "${var.nope}", "${data.aws_region.nope.name}");
        assertThat(matches(RESOURCE_REF, typo, true)).containsExactly("aws_iam_role.nope");
        assertThat(matches(VAR_REF, typo, false)).containsExactly("nope");
        assertThat(matches(DATA_REF, typo, true)).containsExactly("aws_region.nope");
        assertThat(resources).doesNotContainKey("aws_iam_role.nope");
    }

    @Test
    void variables_haveDescriptionTypeAndTheInputsHaveValidation() {
        variables.forEach((name, v) -> {
            assertThat(v.has("type")).as("var.%s has a type", name).isTrue();
            assertThat(v.path("description").asText())
                    .as("var.%s has a description", name)
                    .isNotBlank();
        });
        for (String validated : List.of(
                "vpc_id",
                "private_subnet_ids",
                "public_subnet_ids",
                "certificate_arn",
                "image_tag",
                "api_cpu",
                "api_memory",
                "jobs_cpu",
                "jobs_memory",
                "jobs_desired_count",
                "log_retention_days",
                "waf_rate_limit_per_5min")) {
            assertThat(variables.get(validated).has("validation"))
                    .as("var.%s is validated", validated)
                    .isTrue();
        }
        assertThat(variables.get("vpc_id").has("default"))
                .as("the network is an input")
                .isFalse();
        assertThat(variables.get("private_subnet_ids").has("default")).isFalse();
    }

    // ---- ECS ----

    private static JsonNode resource(String key) {
        assertThat(resources).containsKey(key);
        return resources.get(key);
    }

    /** A literal, or the default of the variable an expression names. */
    private static JsonNode value(JsonNode node) {
        Matcher var = Pattern.compile("^\\$\\{var\\.([\\w-]+)}$").matcher(node.asText());
        if (node.isTextual() && var.matches()) {
            JsonNode variable = variables.get(var.group(1));
            assertThat(variable.has("default"))
                    .as("var.%s has a default", var.group(1))
                    .isTrue();
            return variable.get("default");
        }
        return node;
    }

    /** The containers of a task definition: {@code jsonencode([local.x, …])}. */
    private static List<JsonNode> containers(JsonNode taskDefinition) {
        Matcher m = Pattern.compile("^\\$\\{jsonencode\\(\\[(.+)]\\)}$")
                .matcher(taskDefinition.path("container_definitions").asText());
        assertThat(m.matches())
                .as("container_definitions = jsonencode([local.<container>])")
                .isTrue();
        List<JsonNode> containers = new ArrayList<>();
        for (String ref : m.group(1).split(",")) {
            String local = ref.strip().replaceFirst("^local\\.", "");
            assertThat(locals).containsKey(local);
            containers.add(locals.get(local));
        }
        return containers;
    }

    /** A list a container refers to by {@code ${local.x}}, or holds literally. */
    private static JsonNode list(JsonNode node) {
        Matcher m = Pattern.compile("^\\$\\{local\\.([\\w-]+)}$").matcher(node.asText());
        if (node.isTextual() && m.matches()) {
            return locals.get(m.group(1));
        }
        return node;
    }

    @Test
    void taskDefinitions_runTheRightCommandWithTheRightSize() {
        Set<String> commands = Repo.applicationCommands();
        record Role(String resource, String command, int cpu, int memory, String logGroup) {}
        for (Role role : List.of(
                new Role("api", "server", 1024, 2048, "/ecs/sandbox-broker-api"),
                new Role("jobs", "jobs", 512, 1024, "/ecs/sandbox-broker-worker"))) {
            JsonNode td = resource("aws_ecs_task_definition." + role.resource());
            assertThat(value(td.get("cpu")).asInt())
                    .as("%s cpu", role.resource())
                    .isEqualTo(role.cpu());
            assertThat(value(td.get("memory")).asInt())
                    .as("%s memory", role.resource())
                    .isEqualTo(role.memory());
            assertThat(td.path("requires_compatibilities").get(0).asText()).isEqualTo("FARGATE");
            List<JsonNode> containers = containers(td);
            assertThat(containers).hasSize(1);
            JsonNode container = containers.get(0);
            assertThat(container.path("command"))
                    .extracting(JsonNode::asText)
                    .containsExactly(role.command(), "/app/config/production.yml");
            String logGroupRef = container
                    .path("logConfiguration")
                    .path("options")
                    .path("awslogs-group")
                    .asText();
            Matcher lg = Pattern.compile("^\\$\\{(aws_cloudwatch_log_group\\.[\\w-]+)\\.name}$")
                    .matcher(logGroupRef);
            assertThat(lg.matches()).as("log group of %s", role.resource()).isTrue();
            JsonNode logGroup = resource(lg.group(1));
            assertThat(logGroup.path("name").asText()).isEqualTo(role.logGroup());
            assertThat(logGroup.has("retention_in_days")).isTrue();
            if (role.command().equals("jobs")) {
                assertThat(container.has("healthCheck"))
                        .as("jobs overrides the image's /healthz check")
                        .isTrue();
                assertThat(container.path("healthCheck").toString()).contains("8081", "/healthcheck");
                assertThat(container.path("portMappings").toString()).doesNotContain("8080");
                assumeTrue(commands.contains("jobs"), "the jobs command is not in the application yet: " + commands);
            }
            assertThat(commands).contains(role.command());
        }
    }

    @Test
    void noSecret_isInPlainEnvironment_andTheTokensComeFromSecretsManager() {
        for (String td : List.of("aws_ecs_task_definition.api", "aws_ecs_task_definition.jobs")) {
            for (JsonNode container : containers(resource(td))) {
                for (JsonNode env : list(container.path("environment"))) {
                    assertThat(env.path("name").asText())
                            .as("%s plain environment", td)
                            .doesNotMatch(SECRET_NAME);
                    assertThat(env.path("value").asText())
                            .as("%s plain environment value", td)
                            .doesNotContain("secretsmanager", "ssm");
                }
                Map<String, String> secrets = new HashMap<>();
                list(container.path("secrets"))
                        .forEach(s -> secrets.put(
                                s.path("name").asText(), s.path("valueFrom").asText()));
                assertThat(secrets).containsOnlyKeys("BROKER_API_TOKEN", "BROKER_ADMIN_TOKEN", "CSP_API_TOKEN");
                secrets.values()
                        .forEach(
                                from -> assertThat(from).matches("^\\$\\{aws_secretsmanager_secret\\.[\\w-]+\\.arn}$"));
            }
        }
        assertThat(resources.keySet())
                .as("no secret value in Terraform (code or state)")
                .noneMatch(
                        k -> k.startsWith("aws_secretsmanager_secret_version.") || k.startsWith("aws_ssm_parameter."));
    }

    @Test
    void apiService_behindTheAlb_autoscaled_withCircuitBreakerRollback() {
        JsonNode api = resource("aws_ecs_service.api");
        assertThat(value(api.get("desired_count")).asInt()).isEqualTo(2);
        assertThat(api.path("task_definition").asText()).isEqualTo("${aws_ecs_task_definition.api.arn}");
        assertThat(api.path("deployment_circuit_breaker").get(0).path("enable").asBoolean())
                .isTrue();
        assertThat(api.path("deployment_circuit_breaker")
                        .get(0)
                        .path("rollback")
                        .asBoolean())
                .isTrue();
        JsonNode lb = api.path("load_balancer").get(0);
        assertThat(lb.path("container_port").asInt()).isEqualTo(8080);
        String tg = lb.path("target_group_arn").asText().replaceAll("^\\$\\{(.+)\\.arn}$", "$1");
        assertThat(resource(tg).path("health_check").get(0).path("path").asText())
                .isEqualTo("/healthz");
        assertThat(resources.values()).anySatisfy(r -> {
            assertThat(r.path("protocol").asText()).isEqualTo("HTTPS");
            assertThat(r.path("certificate_arn").asText()).isNotBlank();
        });

        JsonNode target = resource("aws_appautoscaling_target.api");
        assertThat(target.path("resource_id").asText()).contains("aws_ecs_service.api.name");
        assertThat(value(target.get("min_capacity")).asInt()).isEqualTo(2);
        assertThat(value(target.get("max_capacity")).asInt()).isEqualTo(10);
        List<String> metrics = resources.entrySet().stream()
                .filter(e -> e.getKey().startsWith("aws_appautoscaling_policy."))
                .map(e -> e.getValue()
                        .path("target_tracking_scaling_policy_configuration")
                        .get(0)
                        .path("predefined_metric_specification")
                        .get(0)
                        .path("predefined_metric_type")
                        .asText())
                .toList();
        assertThat(metrics)
                .containsExactlyInAnyOrder("ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization");
    }

    @Test
    void jobsService_clustered_noLoadBalancer_withCpuAndMemoryAlarmsToSns() {
        JsonNode jobs = resource("aws_ecs_service.jobs");
        assertThat(value(jobs.get("desired_count")).asInt()).isEqualTo(2);
        assertThat(jobs.path("task_definition").asText()).isEqualTo("${aws_ecs_task_definition.jobs.arn}");
        assertThat(jobs.has("load_balancer")).isFalse();
        Map<String, JsonNode> jobAlarms = new LinkedHashMap<>();
        resources.forEach((k, r) -> {
            if (k.startsWith("aws_cloudwatch_metric_alarm.")
                    && r.path("dimensions").toString().contains("aws_ecs_service.jobs.name")) {
                jobAlarms.put(r.path("metric_name").asText(), r);
            }
        });
        assertThat(jobAlarms).containsKeys("CPUUtilization", "MemoryUtilization");
        jobAlarms
                .values()
                .forEach(a -> assertThat(a.path("alarm_actions").toString()).contains("aws_sns_topic."));
    }

    @Test
    void stuckJobs_alarmToSns_onTheHealthCheckLogLineOfTheJobsTasks() {
        JsonNode filter = resource("aws_cloudwatch_log_metric_filter.jobs_stuck");
        assertThat(filter.path("log_group_name").asText()).isEqualTo("${aws_cloudwatch_log_group.jobs.name}");
        // The line JobsHealthCheck logs for a job that missed three schedules.
        assertThat(filter.path("pattern").asText()).contains("action=job_health", "outcome=stuck");
        JsonNode transformation = filter.path("metric_transformation").get(0);
        JsonNode alarm = resource("aws_cloudwatch_metric_alarm.jobs_stuck");
        assertThat(alarm.path("metric_name").asText()).contains("aws_cloudwatch_log_metric_filter.jobs_stuck");
        assertThat(alarm.path("namespace").asText()).contains("aws_cloudwatch_log_metric_filter.jobs_stuck");
        assertThat(transformation.path("name").asText()).isNotBlank();
        assertThat(alarm.path("comparison_operator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(value(alarm.get("threshold")).asInt()).isZero();
        assertThat(alarm.path("alarm_actions").toString()).contains("aws_sns_topic.alarms.arn");
    }

    @Test
    void poolOperations_alarmsOnWhatTheJobsLog_andSavedQueries() throws java.io.IOException {
        String poolWatch =
                Files.readString(Repo.path("broker-service/src/main/java/io/sandboxbroker/broker/core/PoolWatch.java"));
        String cleanup = Files.readString(
                Repo.path("broker-service/src/main/java/io/sandboxbroker/broker/core/CleanupService.java"));
        String allocation = Files.readString(
                Repo.path("broker-service/src/main/java/io/sandboxbroker/broker/core/AllocationService.java"));
        assertThat(poolWatch).as("the fields the metric filters read").contains("\"pool_state\"");
        assertThat(cleanup).contains("action=cleanup sandbox_id={} outcome=deletion_failed");
        assertThat(allocation).contains("\"action=allocate client={} learner={} outcome={} sandbox_id={} track={}\"");

        JsonNode low = resource("aws_cloudwatch_log_metric_filter.pools_below_low_water");
        assertThat(low.path("log_group_name").asText()).isEqualTo("${aws_cloudwatch_log_group.jobs.name}");
        assertThat(low.path("pattern").asText())
                .contains("$.pool_state = \"low\"")
                .contains("$.pool_state = \"empty\"");
        JsonNode failed = resource("aws_cloudwatch_log_metric_filter.deletion_failed");
        assertThat(failed.path("pattern").asText()).contains("outcome=deletion_failed");

        Map<String, JsonNode> alarms = new LinkedHashMap<>();
        resources.forEach((k, r) -> {
            if (k.startsWith("aws_cloudwatch_metric_alarm.")) {
                alarms.put(r.path("metric_name").asText(), r);
            }
        });
        JsonNode lowAlarm =
                alarms.get("${aws_cloudwatch_log_metric_filter.pools_below_low_water.metric_transformation[0].name}");
        JsonNode failedAlarm =
                alarms.get("${aws_cloudwatch_log_metric_filter.deletion_failed.metric_transformation[0].name}");
        assertThat(lowAlarm).as("an alarm on pools below low water").isNotNull();
        assertThat(failedAlarm).as("an alarm on deletion_failed growing").isNotNull();
        for (JsonNode alarm : List.of(lowAlarm, failedAlarm)) {
            assertThat(alarm.path("namespace").asText()).isEqualTo("${local.pool_metrics_namespace}");
            assertThat(alarm.path("alarm_actions").toString()).contains("aws_sns_topic.alarms.arn");
            assertThat(alarm.path("treat_missing_data").asText()).isEqualTo("notBreaching");
        }
        assertThat(failedAlarm.path("comparison_operator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(value(failedAlarm.get("threshold")).asInt()).isZero();

        Map<String, String> queries = new TreeMap<>();
        resources.forEach((k, r) -> {
            if (k.startsWith("aws_cloudwatch_query_definition.")) {
                queries.put(
                        r.path("name").asText().replace("${var.name}/", ""),
                        r.path("query_string").asText());
            }
        });
        assertThat(queries).containsOnlyKeys("allocations-per-track-per-hour", "errors-by-code", "cleanup-failures");
        assertThat(queries.get("allocations-per-track-per-hour"))
                .contains("action=allocate")
                .contains("track=")
                .contains("bin(1h)");
        assertThat(queries.get("errors-by-code")).contains("error_code").contains("stats count(*)");
        assertThat(queries.get("cleanup-failures")).contains("action=cleanup").contains("outcome=deletion_failed");
        assertThat(resource("aws_cloudwatch_query_definition.cleanup_failures")
                        .path("log_group_names")
                        .toString())
                .contains("aws_cloudwatch_log_group.jobs.name");
    }

    @Test
    void waf_rateRule_onTheAlb() {
        JsonNode acl = resource("aws_wafv2_web_acl.api");
        assertThat(acl.path("rule").toString()).contains("rate_based_statement");
        // the lab scripts retry a 429 after Retry-After; WAF's default block is a bare 403 they would fail on
        JsonNode block =
                acl.path("rule").get(0).path("action").get(0).path("block").get(0);
        JsonNode response = block.path("custom_response").get(0);
        assertThat(response.path("response_code").asInt()).isEqualTo(429);
        assertThat(response.path("response_header").toString()).contains("Retry-After");
        String bodyKey = response.path("custom_response_body_key").asText();
        JsonNode body = acl.path("custom_response_body").get(0);
        assertThat(body.path("key").asText()).isEqualTo(bodyKey);
        assertThat(body.path("content_type").asText()).isEqualTo("APPLICATION_JSON");
        assertThat(body.path("content").asText()).contains("detail", "code", "\"RATE_LIMIT_EXCEEDED\"", "retry_after");
        JsonNode assoc = resource("aws_wafv2_web_acl_association.api");
        assertThat(assoc.path("resource_arn").asText()).isEqualTo("${aws_lb.api.arn}");
    }

    @Test
    void iam_dynamoOnlyOnTheTwoTables_secretsOnlyTheseSecrets_noWildcards() {
        List<JsonNode> statements = new ArrayList<>();
        dataSources.forEach((k, d) -> {
            if (k.startsWith("aws_iam_policy_document.")) {
                d.path("statement").forEach(statements::add);
                d.path("dynamic")
                        .path("statement")
                        .forEach(s -> s.path("content").forEach(statements::add));
            }
        });
        assertThat(statements).isNotEmpty();
        for (JsonNode statement : statements) {
            List<String> actions = new ArrayList<>();
            statement.path("actions").forEach(a -> actions.add(a.asText()));
            List<String> resourcesOf = new ArrayList<>();
            statement.path("resources").forEach(r -> resourcesOf.add(r.asText()));
            assertThat(actions).as("no action wildcard").noneMatch(a -> a.endsWith("*"));
            if (resourcesOf.contains("*")) {
                assertThat(actions)
                        .as("only actions without resource-level permissions on *")
                        .containsOnly("ecr:GetAuthorizationToken");
            }
            if (actions.stream().anyMatch(a -> a.startsWith("dynamodb:"))) {
                assertThat(resourcesOf)
                        .isNotEmpty()
                        .allMatch(r -> r.matches("^\\$\\{aws_dynamodb_table\\.(pool|quartz)\\.arn}(/index/\\*)?$"));
                assertThat(String.join(" ", actions)).doesNotContain("Scan", "DeleteTable", "CreateTable");
            }
            if (actions.stream().anyMatch(a -> a.startsWith("secretsmanager:"))) {
                assertThat(actions).containsExactly("secretsmanager:GetSecretValue");
                assertThat(resourcesOf)
                        .hasSize(3)
                        .allMatch(r -> r.matches("^\\$\\{aws_secretsmanager_secret\\.[\\w-]+\\.arn}$"));
            }
        }
        assertThat(resource("aws_ecs_task_definition.api").path("task_role_arn").asText())
                .isNotEqualTo(resource("aws_ecs_task_definition.jobs")
                        .path("task_role_arn")
                        .asText());
    }

    // ---- DynamoDB: Terraform equals the code ----

    /** A table's layout in one comparable shape: keys, attribute types, and each GSI's keys and projection. */
    record Layout(String hash, String range, Map<String, String> attributeTypes, Map<String, String> indexes) {}

    private static Layout terraformLayout(String key) {
        JsonNode table = resource(key);
        Map<String, String> types = new TreeMap<>();
        table.path("attribute")
                .forEach(a -> types.put(a.path("name").asText(), a.path("type").asText()));
        Map<String, String> indexes = new TreeMap<>();
        table.path("global_secondary_index").forEach(i -> {
            List<String> nonKey = new ArrayList<>();
            i.path("non_key_attributes").forEach(n -> nonKey.add(n.asText()));
            indexes.put(
                    i.path("name").asText(),
                    index(
                            i.path("hash_key").asText(),
                            i.path("range_key").asText(null),
                            i.path("projection_type").asText(),
                            nonKey));
        });
        return new Layout(
                table.path("hash_key").asText(), table.path("range_key").asText(null), types, indexes);
    }

    private static String index(String hash, String range, String projection, List<String> nonKey) {
        return hash + "/" + range + " " + projection + (nonKey.isEmpty() ? "" : " " + new TreeSet<>(nonKey));
    }

    private static String key(List<KeySchemaElement> schema, KeyType type) {
        return schema.stream()
                .filter(k -> k.keyType() == type)
                .map(KeySchemaElement::attributeName)
                .findFirst()
                .orElse(null);
    }

    @Test
    void poolTable_equalsPoolTableDefinition() {
        CreateTableRequest code = PoolTable.definition("x");
        Map<String, String> types = new TreeMap<>();
        for (AttributeDefinition a : code.attributeDefinitions()) {
            types.put(a.attributeName(), a.attributeTypeAsString());
        }
        Map<String, String> indexes = new TreeMap<>();
        for (GlobalSecondaryIndex i : code.globalSecondaryIndexes()) {
            indexes.put(
                    i.indexName(),
                    index(
                            key(i.keySchema(), KeyType.HASH),
                            key(i.keySchema(), KeyType.RANGE),
                            i.projection().projectionTypeAsString(),
                            i.projection().nonKeyAttributes()));
        }
        Layout expected =
                new Layout(key(code.keySchema(), KeyType.HASH), key(code.keySchema(), KeyType.RANGE), types, indexes);
        assertThat(terraformLayout("aws_dynamodb_table.pool")).isEqualTo(expected);
        assertTableProtection("aws_dynamodb_table.pool");
    }

    /** The Quartz table as broker-jobs creates it ({@code QuartzTable.definition}); every index projects ALL. */
    @Test
    void quartzTable_equalsQuartzTableDefinition() {
        QuartzTable.Definition definition = QuartzTable.definition("x");
        Map<String, String> types = new TreeMap<>();
        collectTypes(definition.keys(), types);
        Map<String, String> indexes = new TreeMap<>();
        for (QuartzTable.Index index : definition.indexes()) {
            collectTypes(index.keys(), types);
            indexes.put(
                    index.name(),
                    index(index.keys().partitionKey(), index.keys().sortKey(), "ALL", List.of()));
        }
        Layout expected =
                new Layout(definition.keys().partitionKey(), definition.keys().sortKey(), types, indexes);
        assertThat(terraformLayout("aws_dynamodb_table.quartz")).isEqualTo(expected);
        assertTableProtection("aws_dynamodb_table.quartz");
    }

    private static void collectTypes(QuartzTable.KeySchema keys, Map<String, String> types) {
        types.put(keys.partitionKey(), keys.partitionType().toString());
        if (keys.sortKey() != null) {
            types.put(keys.sortKey(), keys.sortType().toString());
        }
    }

    /** Point-in-time recovery, encryption and TTL on the `ttl` attribute, for both tables. */
    private static void assertTableProtection(String key) {
        JsonNode table = resource(key);
        JsonNode ttl = table.path("ttl").get(0);
        assertThat(ttl.path("attribute_name").asText()).isEqualTo("ttl");
        assertThat(ttl.path("enabled").asBoolean()).isTrue();
        assertThat(table.path("billing_mode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.path("point_in_time_recovery").get(0).path("enabled").asBoolean())
                .isTrue();
        assertThat(table.path("server_side_encryption").get(0).path("enabled").asBoolean())
                .isTrue();
    }

    @Test
    void everyTerraformFile_isParsed() throws Exception {
        try (Stream<Path> tf = Files.list(Repo.path("terraform"))) {
            assertThat(files.keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            tf.map(p -> p.getFileName().toString())
                                    .filter(n -> n.endsWith(".tf"))
                                    .toList());
        }
    }
}
