package io.sandboxbroker.testkit.provider;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The provider's accounts and their universal services. A deleted or removed account is kept aside
 * rather than forgotten so that {@link #revive} can bring it back with the same uuid and csp_id.
 * Every method is synchronized: requests and knobs arrive on many threads.
 */
final class AccountStore {
    private static final String SFDC_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Clock clock;
    private final long firstCspId;
    /** Insertion order is listing order, so paging is stable. */
    private final Map<String, Account> present = new LinkedHashMap<>();

    private final Map<String, Account> gone = new HashMap<>();
    private final Map<String, List<UniversalService>> services = new HashMap<>();
    /** Next number per name group, so a second {@code addSandboxes} continues the sequence. */
    private final Map<String, Integer> nextNumber = new HashMap<>();

    private long nextCspId;

    AccountStore(Clock clock, long firstCspId) {
        this.clock = clock;
        this.firstCspId = firstCspId;
        this.nextCspId = firstCspId;
    }

    synchronized List<Account> addSandboxes(String group, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<Account> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int number = nextNumber.merge(group, 1, Integer::sum);
            added.add(add(Account.SANDBOX, Account.ACTIVE, String.format("%s-%04d", group, number)));
        }
        return added;
    }

    synchronized Account add(String accountType, String state, String name) {
        // Millisecond precision, as provider timestamps usually have; nanoseconds would flatter clients' parsers.
        return add(new Account(
                UUID.randomUUID().toString(),
                nextCspId,
                name,
                accountType,
                state,
                clock.instant().truncatedTo(ChronoUnit.MILLIS),
                sfdcAccountId()));
    }

    synchronized Account add(Account account) {
        if (present.containsKey(account.uuid()) || gone.containsKey(account.uuid())) {
            throw new IllegalArgumentException("account already known: " + account.uuid());
        }
        present.put(account.uuid(), account);
        nextCspId = Math.max(nextCspId, account.cspId() + 1);
        return account;
    }

    /** Makes the account vanish; true if it was listed. */
    synchronized boolean remove(String uuid) {
        Account account = present.remove(uuid);
        if (account == null) {
            return false;
        }
        gone.put(uuid, account);
        return true;
    }

    /** Lists a removed or deleted account again; true if it was gone. */
    synchronized boolean revive(String uuid) {
        Account account = gone.remove(uuid);
        if (account == null) {
            return false;
        }
        present.put(uuid, account);
        return true;
    }

    synchronized Optional<Account> find(String uuid) {
        return Optional.ofNullable(present.get(uuid));
    }

    synchronized List<Account> listed() {
        return List.copyOf(present.values());
    }

    synchronized UniversalService addService(String accountUuid, String name) {
        requireKnown(accountUuid);
        UniversalService service = new UniversalService(UUID.randomUUID().toString(), name);
        services.computeIfAbsent(accountUuid, uuid -> new ArrayList<>()).add(service);
        return service;
    }

    synchronized List<UniversalService> services(String accountUuid) {
        return List.copyOf(services.getOrDefault(accountUuid, List.of()));
    }

    /** Deletes the service if it belongs to the account; true if it did. */
    synchronized boolean deleteService(String accountUuid, String serviceUuid) {
        List<UniversalService> owned = services.get(accountUuid);
        return owned != null && owned.removeIf(service -> service.uuid().equals(serviceUuid));
    }

    synchronized void clear() {
        present.clear();
        gone.clear();
        services.clear();
        nextNumber.clear();
        nextCspId = firstCspId;
    }

    private void requireKnown(String uuid) {
        if (!present.containsKey(uuid) && !gone.containsKey(uuid)) {
            throw new IllegalArgumentException("unknown account: " + uuid);
        }
    }

    /** Salesforce ids are 18 characters starting with the account key prefix 001. */
    private static String sfdcAccountId() {
        StringBuilder id = new StringBuilder("001");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (id.length() < 18) {
            id.append(SFDC_ALPHABET.charAt(random.nextInt(SFDC_ALPHABET.length())));
        }
        return id.toString();
    }
}
