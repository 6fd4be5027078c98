package io.sandboxbroker.testkit.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that stands in for the CSP and NIOSXaaS (docs/architecture.md#provider-apis).
 *
 * <p>Point a client at {@link #baseUri()}: the CSP base is {@code baseUri() + "/v2"}, NIOSXaaS uses
 * {@code baseUri()} itself. Every knob is thread-safe and takes effect on the next request, so a
 * test may change the provider's behaviour while clients are talking to it. Requests run on their
 * own threads, so a slow or hanging request does not hold up the others.
 */
public final class FakeProvider implements AutoCloseable {
    /** The HTML page a misbehaving gateway returns, wrapped in JSON by the CSP. */
    public static final String BAD_GATEWAY_HTML = "<html><body><h1>502 Bad Gateway</h1></body></html>";

    private final FakeProviderConfig config;
    private final AccountStore accounts;
    private final Faults faults = new Faults();
    private final CallLog calls = new CallLog();
    private final JwtIssuer jwts;
    private final CspApi csp;
    private final Router router;
    private final HttpServer server;
    private final ExecutorService executor;

    private FakeProvider(FakeProviderConfig config) throws IOException {
        this.config = config;
        ObjectMapper json = new ObjectMapper();
        this.accounts = new AccountStore(config.clock(), config.firstCspId());
        this.jwts = new JwtIssuer(json, config.clock());
        this.csp = new CspApi(json, accounts, config.cspToken());
        NiosxaasApi niosxaas = new NiosxaasApi(json, accounts, jwts, config.niosxaasEmail(), config.niosxaasPassword());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), config.port()), 0);
        this.executor = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(executor);
        this.router = new Router(json, config.clock(), List.of(csp, niosxaas), faults, calls);
        server.createContext("/", router);
        server.start();
    }

    /** Starts an empty provider with {@link FakeProviderConfig#defaults()} on a free port. */
    public static FakeProvider start() {
        return start(FakeProviderConfig.defaults());
    }

    public static FakeProvider start(FakeProviderConfig config) {
        try {
            return new FakeProvider(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake provider on port " + config.port(), e);
        }
    }

    /** The root, e.g. {@code http://127.0.0.1:41234}, without {@code /v2}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The CSP base the broker is configured with: {@code baseUri() + "/v2"}. */
    public URI cspBaseUri() {
        return URI.create(baseUri() + "/v2");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public FakeProviderConfig config() {
        return config;
    }

    // --- accounts ---------------------------------------------------------------------------

    /**
     * Adds {@code count} active sandboxes named {@code group-0001}, {@code group-0002}, …, with
     * increasing csp_ids; calling again for the same group continues the numbering.
     */
    public List<Account> addSandboxes(String group, int count) {
        return accounts.addSandboxes(group, count);
    }

    /** Adds an account with a fresh uuid and the next csp_id. */
    public Account addAccount(String name, String accountType, String state) {
        return accounts.add(accountType, state, name);
    }

    /** Adds an account exactly as given; later csp_ids continue after its one. */
    public Account addAccount(Account account) {
        return accounts.add(account);
    }

    /**
     * Adds accounts a client must filter out: a non-sandbox account, and sandboxes that are not
     * active. Returns them.
     */
    public List<Account> addDistractors() {
        return List.of(
                accounts.add("enterprise", Account.ACTIVE, "Lab Operations"),
                accounts.add("trial", Account.ACTIVE, "lab-trial-0001"),
                accounts.add(Account.SANDBOX, "suspended", "lab-suspended-0001"),
                accounts.add(Account.SANDBOX, "deleting", "lab-deleting-0001"));
    }

    /** Makes the account vanish from the listing, as if deleted behind the broker's back. */
    public boolean removeAccount(String uuid) {
        return accounts.remove(uuid);
    }

    /** Lists a removed or deleted account again with the same uuid, csp_id and services. */
    public boolean reviveAccount(String uuid) {
        return accounts.revive(uuid);
    }

    /** The account if it is currently listed. */
    public Optional<Account> account(String uuid) {
        return accounts.find(uuid);
    }

    /** Every listed account, in listing order. */
    public List<Account> accounts() {
        return accounts.listed();
    }

    public List<Account> activeSandboxes() {
        return accounts.listed().stream().filter(Account::isActiveSandbox).toList();
    }

    // --- universal services -----------------------------------------------------------------

    public UniversalService addService(String accountUuid, String name) {
        return accounts.addService(accountUuid, name);
    }

    public List<UniversalService> services(String accountUuid) {
        return accounts.services(accountUuid);
    }

    // --- paging -----------------------------------------------------------------------------

    /** Caps every listing page at {@code size}, whatever {@code _limit} the client asks for. */
    public void maxPageSize(int size) {
        csp.maxPageSize(OptionalInt.of(size));
    }

    /** Back to one page for everything unless the client passes {@code _limit}. */
    public void unlimitedPageSize() {
        csp.maxPageSize(OptionalInt.empty());
    }

    // --- latency and hangs ------------------------------------------------------------------

    /** Every request waits {@code delay} before it is answered. */
    public void latency(Duration delay) {
        faults.latency(delay);
    }

    /** DELETE requests wait {@code delay} instead of the general latency (production deletes take 5–10 s). */
    public void deleteLatency(Duration delay) {
        faults.deleteLatency(Optional.of(delay));
    }

    public void clearDeleteLatency() {
        faults.deleteLatency(Optional.empty());
    }

    /**
     * The next {@code count} requests matching {@code match} wait {@code duration} (on top of any
     * latency) before answering normally, so that a client with a shorter read timeout gives up.
     */
    public void hangNext(RequestMatch match, int count, Duration duration) {
        faults.hangNext(match, count, duration);
    }

    // --- errors -----------------------------------------------------------------------------

    /** The next {@code count} requests matching {@code match} answer 500 {@code {"error":"internal server error"}}. */
    public void failNext(RequestMatch match, int count) {
        failNext(match, count, 500, "internal server error");
    }

    /** Like {@link #failNext(RequestMatch, int)}, but the error is an HTML page inside the JSON. */
    public void failNextWithHtml(RequestMatch match, int count) {
        failNext(match, count, 500, BAD_GATEWAY_HTML);
    }

    /** The next {@code count} requests matching {@code match} answer {@code status} {@code {"error": message}}. */
    public void failNext(RequestMatch match, int count, int status, String message) {
        faults.failNext(match, count, Reply.error(status, message));
    }

    /**
     * Every request about the account (CSP delete, account switch, its services) answers
     * {@code status} until {@link #stopFailing}: 500 for an account the provider cannot delete,
     * 400 for one it refuses to.
     */
    public void failAlways(String accountUuid, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be a 4xx or 5xx: " + status);
        }
        faults.failAlways(accountUuid, status);
    }

    public void stopFailing(String accountUuid) {
        faults.stopFailing(accountUuid);
    }

    /** Invalidates every NIOSXaaS jwt issued so far; clients must sign in again. */
    public void expireSessions() {
        jwts.expireAll();
    }

    // --- call record ------------------------------------------------------------------------

    /** Every answered request, in answer order. */
    public List<Call> calls() {
        return calls.all();
    }

    /** The requests about one account. */
    public List<Call> calls(String accountUuid) {
        return calls.about(accountUuid);
    }

    /** How many CSP deletes of the account were answered with a 2xx. */
    public long successfulDeletes(String accountUuid) {
        return calls.about(accountUuid).stream()
                .filter(call ->
                        call.method().equals("DELETE") && call.path().startsWith(ProviderPaths.SANDBOX_ACCOUNTS))
                .filter(Call::isSuccess)
                .count();
    }

    public int callCount() {
        return calls.all().size();
    }

    /** Requests received but not answered yet, e.g. ones waiting out latency or a hang. */
    public int inFlight() {
        return router.inFlight();
    }

    public void clearCalls() {
        calls.clear();
    }

    /**
     * Forgets all accounts, services, faults and calls, and restarts csp_ids and group numbering.
     * Issued jwts stay valid (use {@link #expireSessions()}), so a client's cached session survives
     * a reset between tests.
     */
    public void reset() {
        accounts.clear();
        faults.clear();
        csp.maxPageSize(OptionalInt.empty());
        calls.clear();
    }

    /** Stops listening and abandons requests still waiting out a latency or hang. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "fake-provider-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
