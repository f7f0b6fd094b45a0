package org.hvkit.aio.impl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test's {@code @BeforeEach}, test and {@code @AfterEach} methods on one thread
 * of its own, which becomes the home thread of the contexts the test drives, and fails a
 * method that runs longer than {@link #timeoutSeconds()}: a loop that never wakes up fails
 * the test instead of hanging the build.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(HomeThreadExtension.class)
public @interface HomeThread {

    /**
     * The longest one method may run.
     *
     * @return seconds
     */
    int timeoutSeconds() default 10;
}
