package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.BrokerProcess;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.Browser;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.Repo;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.FakeProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operators' page end to end: headless Chromium against the real API (dynalite, the fake
 * provider) and a real jobs process that fills the pool and runs what the page asks for.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageIT {
    private static final String TABLE = TestDynamo.uniqueTable("admin-page");
    private static final FakeProvider PROVIDER = FakeProvider.start();
    static final DropwizardAppExtension<BrokerConfiguration> API = BrokerTestApp.withProvider(TABLE, PROVIDER);
    private static final List<String> LEARNERS = List.of("page-learner-1", "page-learner-2", "page-learner-3");
    private static final List<String> ALLOCATED = new ArrayList<>();

    private static BrokerProcess jobs;
    private static Browser browser;
    private static Pool pool;

    @BeforeAll
    static void start() {
        assertThat(Browser.installed())
                .as("chromium and chromedriver are installed (scripts/test.sh installs them)")
                .isTrue();
        PROVIDER.addSandboxes("lab-adventure", 30);
        PROVIDER.addSandboxes("lab-start", 7);
        jobs = BrokerProcess.jobs(TABLE, PROVIDER, "page-jobs", Map.of("POOL_STATS_EVERY_SECONDS", "1"));
        browser = Browser.start(); // while the jobs process boots
        jobs.awaitLine(l -> l.matches(".*Started \\d+ background jobs.*"), Duration.ofSeconds(90));
        pool = Pool.of(TABLE);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pool.all(SandboxStatus.AVAILABLE).size() == 37);

        LabClient lab = LabClient.at(API.getLocalPort())
                .with("X-Sandbox-Name-Prefix", "lab-start")
                .with("X-Instruqt-Track-ID", "dns-basics");
        for (String learner : LEARNERS) {
            LabClient.Reply allocated = lab.lab(learner).post("/v1/allocate");
            assertThat(allocated.status()).isEqualTo(201);
            ALLOCATED.add(allocated.text("sandbox_id"));
        }
        // The page shows the pool-stats job's counts (every second here): start once they are current.
        LabClient admin = LabClient.at(API.getLocalPort()).admin();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> admin.get("/v1/admin/stats")
                                .body()
                                .path("by_status")
                                .path("allocated")
                                .asLong()
                        == 3);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (browser != null) {
            browser.close();
        }
        if (jobs != null) {
            jobs.close();
        }
        PROVIDER.close();
    }

    @Test
    @Order(1)
    void wrongToken_showsAnErrorAndKeepsNothing() {
        open();
        signIn("not-the-admin-token");
        waitFor(d -> banner().contains("401"));
        assertThat(banner()).contains("not accepted");
        assertThat(byId("sign-in").isDisplayed()).isTrue();

        signIn(BrokerTestApp.LAB_TOKEN);
        waitFor(d -> banner().contains("403"));

        assertThat(driver().executeScript("return sessionStorage.length + localStorage.length"))
                .isEqualTo(0L);
        assertThat(driver().getCurrentUrl()).doesNotContain("token");
    }

    @Test
    @Order(2)
    void signIn_overviewCountsMatchTheTable() throws IOException {
        signIn(BrokerTestApp.ADMIN_TOKEN);
        waitFor(d -> text("count-available").equals("34"));
        assertThat(text("count-allocated")).isEqualTo("3");
        assertThat(text("count-total")).isEqualTo("37");
        assertThat(driver().getCurrentUrl()).doesNotContain(BrokerTestApp.ADMIN_TOKEN);
        assertThat(driver().executeScript("return sessionStorage.getItem('sandbox-broker.admin-token')"))
                .isEqualTo(BrokerTestApp.ADMIN_TOKEN);
        waitFor(d -> "3".equals(byId("hourly-summary").getAttribute("data-total")));
        // Times arrive as Unix seconds; the page shows local time and keeps ISO-8601 in datetime.
        assertThat(byId("stats-computed-at").getAttribute("datetime"))
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(text("stats-computed-at")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");

        // Levels come from the server (default low water 10): lab-start, 4 left, is low and listed first.
        waitFor(d -> groupRow("lab-start").getAttribute("class").contains("low"));
        assertThat(groupRow("lab-adventure").getAttribute("class")).doesNotContain("low");
        assertThat(driver().findElement(By.cssSelector("#groups-rows tr")).getAttribute("data-group"))
                .isEqualTo("lab-start");
        assertThat(cell(groupRow("lab-start"), "available")).isEqualTo("4");
        assertThat(cell(groupRow("lab-start"), "low_water")).isEqualTo("10");
        assertThat(cell(groupRow("lab-start"), "allocations_last_hour")).isEqualTo("3");
        assertThat(driver().findElements(By.id("low-water")))
                .as("no low water typed in the browser")
                .isEmpty();
        WebElement track = driver().findElement(By.cssSelector("#tracks-rows tr[data-track='dns-basics']"));
        assertThat(cell(track, "allocations_24h")).isEqualTo("3");
        assertThat(cell(track, "allocations_7d")).isEqualTo("3");
        Path screenshot = Repo.path("broker-service/target/admin-overview.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, driver().getScreenshotAs(OutputType.BYTES));

        byId("tab-sandboxes").click();
        new Select(byId("page-size")).selectByValue("25");
        new Select(byId("filter-status")).selectByValue("available");
        waitFor(d -> "25".equals(summary("loaded")) && "false".equals(summary("done")));
        assertThat(rows()).hasSize(25);
        byId("load-more").click();
        waitFor(d -> "true".equals(summary("done")));
        assertThat(summary("loaded"))
                .as("every available sandbox, as counted on the overview")
                .isEqualTo("34");
        assertThat(rows()).hasSize(34).allSatisfy(r -> assertThat(r.getText()).contains("available"));

        new Select(byId("filter-group")).selectByValue("lab-start");
        waitFor(d -> "4".equals(summary("shown")));

        new Select(byId("filter-group")).selectByValue("");
        new Select(byId("filter-status")).selectByValue("allocated");
        waitFor(d -> "3".equals(summary("loaded")));
        new Select(byId("filter-track")).selectByValue("dns-basics");
        assertThat(summary("shown")).isEqualTo("3");
        byId("filter-search").sendKeys("page-learner-2");
        waitFor(d -> "1".equals(summary("shown")));
        assertThat(rows().get(0).getAttribute("data-id")).isEqualTo(ALLOCATED.get(1));
    }

    @Test
    @Order(3)
    void runSyncNow_theRunIsExecutedAndItsResultAppears() {
        PROVIDER.addSandboxes("lab-extra", 4);
        byId("tab-jobs").click();
        waitFor(d -> !d.findElements(By.cssSelector("#nodes-rows tr[data-node=page-jobs]"))
                .isEmpty());
        assertThat(driver().findElement(By.cssSelector("#nodes-rows tr[data-node=page-jobs]"))
                        .getText())
                .contains("alive");
        assertThat(driver().findElement(By.cssSelector("#jobs-rows tr[data-job=sync]"))
                        .getText())
                .contains("every");

        byId("run-sync").click();
        waitFor(d -> byId("confirm-dialog").isDisplayed());
        byId("confirm-ok").click();
        waitFor(d -> !d.findElements(By.cssSelector("#requested-runs li[data-run-id]"))
                .isEmpty());
        String runId = driver().findElement(By.cssSelector("#requested-runs li[data-run-id]"))
                .getAttribute("data-run-id");
        assertThat(banner()).contains("queued as run " + runId);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.lines().stream()
                        .anyMatch(l -> l.contains("run_id=" + runId) && l.contains("outcome=completed")));
        // The overview shows the sync's result once the stats cache (10 s) has expired.
        byId("tab-overview").click();
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(() -> {
                    byId("refresh").click();
                    return text("count-available").equals("38");
                });
        if (driver().findElements(By.cssSelector("#jobs-rows .na")).isEmpty()) {
            // Once the API reports job runs, the page lists this one under the sync job.
            byId("tab-jobs").click();
            waitFor(d -> !d.findElements(By.cssSelector("#jobs-rows tr[data-run-id='" + runId + "']"))
                    .isEmpty());
        }
        assertThat(driver().findElement(By.tagName("body")).getAttribute("data-csp-violations"))
                .isNull();
    }

    @Test
    @Order(10)
    void lookUp_aLearner_showsItsSandboxAndHistory_anUnknownIdSaysSo() {
        if (byId("sign-in").isDisplayed()) {
            signIn(BrokerTestApp.ADMIN_TOKEN);
        }
        waitFor(d -> byId("tab-lookup").isDisplayed());
        byId("tab-lookup").click();

        byId("lookup-input").sendKeys(LEARNERS.get(0));
        byId("lookup-button").click();
        waitFor(d -> !d.findElements(By.cssSelector("#lookup-rows tr[data-event='allocated']"))
                .isEmpty());
        assertThat(text("lookup-claim"))
                .contains(LEARNERS.get(0))
                .contains(ALLOCATED.get(0))
                .contains("allocated");
        assertThat(driver().findElements(By.cssSelector("#lookup-rows tr")).stream()
                        .map(row -> row.getAttribute("data-event"))
                        .toList())
                .containsExactly("synced_in", "allocated");

        byId("lookup-input").clear();
        byId("lookup-input").sendKeys("nobody-at-all");
        byId("lookup-button").click();
        waitFor(d -> text("lookup-summary").contains("nobody-at-all"));
        assertThat(driver().findElements(By.cssSelector("#lookup-rows tr"))).isEmpty();
        assertThat(driver().executeScript("return document.body.dataset.cspViolations ?? '0'"))
                .isEqualTo("0");
    }

    @Test
    @Order(11)
    void lookUp_quarantineReleaseAndExtend_fromThePage() {
        String spare = pool.all(SandboxStatus.AVAILABLE).get(0).id().value();
        lookUp(spare);
        waitFor(d -> byId("lookup-actions").isDisplayed()
                && !d.findElements(By.cssSelector("#lookup-rows tr[data-event='synced_in']"))
                        .isEmpty());

        byId("quarantine-reason").sendKeys("suspect credentials");
        byId("quarantine-button").click();
        confirm();
        waitFor(d -> "quarantined".equals(byId("lookup-status").getAttribute("data-status")));
        assertThat(text("lookup-claim")).contains(spare).contains("suspect credentials");
        waitFor(d -> !d.findElements(By.cssSelector("#lookup-rows tr[data-event='quarantined']"))
                .isEmpty());
        assertThat(pool.all(SandboxStatus.QUARANTINED))
                .extracting(s -> s.id().value())
                .contains(spare);

        byId("release-button").click();
        confirm();
        waitFor(d -> "available".equals(byId("lookup-status").getAttribute("data-status")));
        waitFor(d -> !d.findElements(By.cssSelector("#lookup-rows tr[data-event='quarantine_released']"))
                .isEmpty());
        assertThat(pool.all(SandboxStatus.AVAILABLE))
                .extracting(s -> s.id().value())
                .contains(spare);

        lookUp(LEARNERS.get(1));
        waitFor(d -> "allocated".equals(byId("lookup-status").getAttribute("data-status")));
        long before = Long.parseLong(byId("lookup-expires").getAttribute("data-expires"));
        WebElement amount = byId("extend-amount");
        amount.clear();
        amount.sendKeys("2");
        new Select(byId("extend-unit")).selectByValue("3600");
        byId("extend-button").click();
        confirm();
        waitFor(d -> !byId("lookup-expires").getAttribute("data-expires").equals(String.valueOf(before)));
        long after = Long.parseLong(byId("lookup-expires").getAttribute("data-expires"));
        // Two hours go on top of the old expiry, which is still ahead (or on top of now).
        assertThat(after).isGreaterThanOrEqualTo(before + 7200);
        assertThat(banner()).contains(ALLOCATED.get(1)).contains("now expires at");
        waitFor(d -> !d.findElements(By.cssSelector("#lookup-rows tr[data-event='extended']"))
                .isEmpty());
        assertThat(driver().executeScript("return document.body.dataset.cspViolations ?? '0'"))
                .isEqualTo("0");
    }

    private static void lookUp(String query) {
        WebElement input = byId("lookup-input");
        input.clear();
        input.sendKeys(query);
        byId("lookup-button").click();
    }

    private static void confirm() {
        waitFor(d -> byId("confirm-dialog").isDisplayed());
        byId("confirm-ok").click();
    }

    private static ChromeDriver driver() {
        return browser.driver();
    }

    private static void open() {
        driver().get("http://127.0.0.1:" + API.getLocalPort() + "/admin/");
        waitFor(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    private static void signIn(String token) {
        WebElement input = byId("token-input");
        input.clear();
        input.sendKeys(token);
        byId("sign-in-button").click();
    }

    private static WebElement byId(String id) {
        return driver().findElement(By.id(id));
    }

    private static String text(String id) {
        return byId(id).getText();
    }

    private static String banner() {
        return byId("banner").getText();
    }

    private static String summary(String what) {
        return byId("rows-summary").getAttribute("data-" + what);
    }

    private static WebElement groupRow(String group) {
        return driver().findElement(By.cssSelector("#groups-rows tr[data-group='" + group + "']"));
    }

    private static String cell(WebElement row, String column) {
        return row.findElement(By.cssSelector("[data-col=" + column + "]")).getText();
    }

    private static List<WebElement> rows() {
        return driver().findElements(By.cssSelector("#sandbox-rows tr[data-id]"));
    }

    private static void waitFor(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver(), Duration.ofSeconds(15))
                .ignoring(RuntimeException.class)
                .until(condition);
    }
}
