package io.sandboxbroker.broker.resources;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Servlets other than Jersey's (the admin page's assets, say) answer errors with a bare status,
 * through {@code sendError} or {@code setStatus} and no body; this gives those answers the one
 * envelope, with the request id and the security headers, like every other error.
 */
public final class SendErrorEnvelopeFilter implements Filter {

    @Inject
    public SendErrorEnvelopeFilter() {}

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = ((HttpServletRequest) request).getRequestURI();
        BodyTracking tracked = new BodyTracking((HttpServletResponse) response, path);
        chain.doFilter(request, tracked);
        if (tracked.getStatus() >= 400 && !tracked.bodyStarted && !tracked.isCommitted()) {
            tracked.writeEnvelope(tracked.getStatus());
        }
    }

    /** Knows whether the servlet wrote a body of its own. */
    private static final class BodyTracking extends HttpServletResponseWrapper {
        private final String path;
        private boolean bodyStarted;

        BodyTracking(HttpServletResponse response, String path) {
            super(response);
            this.path = path;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            bodyStarted = true;
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            bodyStarted = true;
            return super.getWriter();
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, String ignoredMessage) throws IOException {
            if (isCommitted()) {
                super.sendError(status);
                return;
            }
            writeEnvelope(status);
        }

        void writeEnvelope(int status) throws IOException {
            String requestId = RequestIdFilter.current();
            resetBuffer();
            setStatus(status);
            setContentType("application/json");
            setHeader(RequestIdFilter.HEADER, requestId);
            SecurityHeaders.apply(path, this::setHeader);
            byte[] body = JsonErrorHandler.body(status, requestId);
            setContentLength(body.length);
            getOutputStream().write(body);
            flushBuffer();
        }
    }
}
