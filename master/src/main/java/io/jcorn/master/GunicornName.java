package io.jcorn.master;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gunicorn's setting name for an option whose config file key, taken from its flag, differs
 * ({@code --error-logfile}: Gunicorn's {@code errorlog}); a config file may use either.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface GunicornName {
    String value();
}
