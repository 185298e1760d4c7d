package dev.portcullis.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.Enumeration;

/**
 * The container's {@link HttpSession} as the application sees it behind {@link AuthFilter}: the
 * same session, except that {@link #invalidate()} also signs the user out of Portcullis (session
 * and remember-me series ended in the store, their cookies expired, CSRF rotated). So an
 * unmodified application whose logout is {@code session.invalidate()} really logs the user out.
 */
final class PortcullisHttpSession implements HttpSession {

    private final HttpSession session;
    private final Runnable signOut;

    PortcullisHttpSession(HttpSession session, Runnable signOut) {
        this.session = session;
        this.signOut = signOut;
    }

    /** Invalidates the container's session (throwing as it would when already invalid), then signs out. */
    @Override
    public void invalidate() {
        session.invalidate();
        signOut.run();
    }

    @Override
    public long getCreationTime() {
        return session.getCreationTime();
    }

    @Override
    public String getId() {
        return session.getId();
    }

    @Override
    public long getLastAccessedTime() {
        return session.getLastAccessedTime();
    }

    @Override
    public ServletContext getServletContext() {
        return session.getServletContext();
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        session.setMaxInactiveInterval(interval);
    }

    @Override
    public int getMaxInactiveInterval() {
        return session.getMaxInactiveInterval();
    }

    @Override
    public Object getAttribute(String name) {
        return session.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return session.getAttributeNames();
    }

    @Override
    public void setAttribute(String name, Object value) {
        session.setAttribute(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        session.removeAttribute(name);
    }

    @Override
    public boolean isNew() {
        return session.isNew();
    }

    /** The container's own session, for code that must not sign out (the filter's own calls). */
    HttpSession unwrap() {
        return session;
    }
}
