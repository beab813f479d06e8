"""nn: neurons, layers and MLPs built only from autograd.Value ops (no gradient code)."""
