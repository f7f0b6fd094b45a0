package org.hvkit.aio.impl;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The extension behind {@link HomeThread}: one daemon thread per test, kept in the test's
 * store and stopped when the test ends.
 *
 * <p>Thread-safety: JUnit calls it from its own thread; each test gets its own thread.
 */
final class HomeThreadExtension implements InvocationInterceptor {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HomeThreadExtension.class);

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        runOnHomeThread(invocation, call, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        runOnHomeThread(invocation, call, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        runOnHomeThread(invocation, call, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        runOnHomeThread(invocation, call, context);
    }

    private static void runOnHomeThread(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        Home home = context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(Home.class, key -> new Home(context.getDisplayName()), Home.class);
        int seconds = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), HomeThread.class)
                .map(HomeThread::timeoutSeconds)
                .orElse(10);
        home.run(invocation, call.getExecutable().getName(), Duration.ofSeconds(seconds));
    }

    /** One test's home thread. */
    private static final class Home implements ExtensionContext.Store.CloseableResource {

        private final ExecutorService executor;
        private volatile Thread thread;
        private String stuckIn;

        Home(String testName) {
            executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, "home-" + testName);
                t.setDaemon(true);
                thread = t;
                return t;
            });
        }

        void run(Invocation<Void> invocation, String method, Duration timeout) throws Throwable {
            if (stuckIn != null) {
                throw new AssertionFailedError(method + " not run: the home thread is still stuck in " + stuckIn);
            }
            Future<Throwable> outcome = executor.submit(() -> proceed(invocation));
            try {
                Throwable failure = outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (failure != null) {
                    throw failure;
                }
            } catch (TimeoutException e) {
                stuckIn = method;
                AssertionFailedError error = new AssertionFailedError(
                        method + " did not finish within " + timeout + "; the home thread's stack follows");
                error.setStackTrace(thread.getStackTrace());
                outcome.cancel(true);
                throw error;
            }
        }

        private static Throwable proceed(Invocation<Void> invocation) {
            try {
                invocation.proceed();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
