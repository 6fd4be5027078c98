package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.core.AllocationRequest;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.LabToken;
import io.sandboxbroker.broker.core.LearnerId;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/** Reads the lab scripts' headers, and the token the request was admitted with. */
final class LabHeaders {
    static final String LEARNER = "X-Instruqt-Sandbox-ID";
    /** What older tracks send instead. */
    static final String LEGACY_LEARNER = "X-Track-ID";

    static final String TRACK = "X-Instruqt-Track-ID";
    static final String NAME_PREFIX = "X-Sandbox-Name-Prefix";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private LabHeaders() {}

    static LearnerId learner(HttpHeaders headers) {
        String primary = headers.getHeaderString(LEARNER);
        return LearnerId.fromHeader(
                primary != null && !primary.isBlank() ? primary : headers.getHeaderString(LEGACY_LEARNER));
    }

    /**
     * The learner id the request names, when it is one the API would accept; empty otherwise (the
     * resource answers for a missing or malformed one). Safe to log and to key buckets by.
     */
    static Optional<String> validLearner(String primary, String legacy) {
        try {
            return Optional.of(LearnerId.fromHeader(primary != null && !primary.isBlank() ? primary : legacy)
                    .value());
        } catch (BrokerException invalid) {
            return Optional.empty();
        }
    }

    /** The lab token {@link AuthFilter} admitted the request with. */
    static LabToken token(ContainerRequestContext request) {
        if (request.getProperty(AuthFilter.LAB_TOKEN_PROPERTY) instanceof LabToken token) {
            return token;
        }
        throw new IllegalStateException("a lab resource ran without a lab token; is it @Secured(Role.LAB)?");
    }

    static AllocationRequest allocation(HttpHeaders headers) {
        return new AllocationRequest(
                learner(headers),
                Optional.ofNullable(headers.getHeaderString(TRACK)),
                Optional.ofNullable(headers.getHeaderString(NAME_PREFIX)),
                Optional.ofNullable(headers.getHeaderString(IDEMPOTENCY_KEY)));
    }
}
