package dev.portcullis.servlet;

import java.util.List;

/** Remember-me, WebAuth and the mail flows on embedded Tomcat. */
class AccountFlowsTomcatTest extends AbstractAccountFlowsContainerTest {

    private final TomcatContainer container = new TomcatContainer();

    @Override
    protected int start(List<TestApp.Deployment> deployments) throws Exception {
        return container.start(deployments);
    }

    @Override
    protected void stop() throws Exception {
        container.stop();
    }
}
