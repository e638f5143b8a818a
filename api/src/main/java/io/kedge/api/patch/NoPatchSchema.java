package io.kedge.api.patch;

enum NoPatchSchema implements PatchSchema {
    INSTANCE;

    @Override
    public FieldStrategy strategyOf(String field) {
        return FieldStrategy.DEFAULT;
    }

    @Override
    public PatchSchema child(String field) {
        return this;
    }

    @Override
    public String toString() {
        return "PatchSchema.none()";
    }
}
