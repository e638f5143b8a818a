package io.kedge.api.selector;

/** The operators of a field requirement. {@code =} and {@code ==} are both {@link #EQUALS}. */
public enum FieldOperator {
    EQUALS("="),
    NOT_EQUALS("!=");

    private final String symbol;

    FieldOperator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
