package dev.portcullis.servlet;

import java.util.List;

/** The container tests on embedded Jetty 12 (ee10). */
class AuthFilterJettyTest extends AbstractAuthFilterContainerTest {

    private final JettyContainer container = new JettyContainer();

    @Override
    protected int start(List<TestApp.Deployment> deployments) throws Exception {
        return container.start(deployments);
    }

    @Override
    protected void stop() throws Exception {
        container.stop();
    }
}
