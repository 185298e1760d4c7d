package dev.portcullis.servlet;

import java.util.List;

/** Remember-me, WebAuth and the mail flows on embedded Jetty. */
class AccountFlowsJettyTest extends AbstractAccountFlowsContainerTest {

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
