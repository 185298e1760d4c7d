package dev.portcullis.internal;

import dev.portcullis.model.FieldErrors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Bean Validation of input records. Uses Hibernate Validator's {@link ParameterMessageInterpolator}
 * so no Expression Language implementation is needed (and no EL is evaluated on messages).
 */
public final class InputValidator {

    private final Validator validator;

    public InputValidator() {
        ValidatorFactory factory = jakarta.validation.Validation.byProvider(HibernateValidator.class)
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        this.validator = factory.getValidator();
    }

    /** Adds every violation of {@code input} to {@code errors}, keyed by component name. */
    public <T> void validate(T input, FieldErrors.Collector errors) {
        for (ConstraintViolation<T> v : validator.validate(input)) {
            errors.add(v.getPropertyPath().toString(), v.getMessage());
        }
    }
}
