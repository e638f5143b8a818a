package io.kedge.api.selector;

/** The operators of a label requirement. {@code =} and {@code ==} are both {@link #EQUALS}. */
public enum LabelOperator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST,
    /** Integer comparison, as node affinity uses it; the label must hold an integer. */
    GREATER_THAN,
    LESS_THAN
}
