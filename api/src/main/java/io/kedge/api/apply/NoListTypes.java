package io.kedge.api.apply;

enum NoListTypes implements ListTypes {
    INSTANCE;

    @Override
    public ListType listTypeOf(String field) {
        return ListType.ATOMIC;
    }

    @Override
    public ListTypes child(String field) {
        return this;
    }

    @Override
    public String toString() {
        return "ListTypes.none()";
    }
}
