#!/usr/bin/python3
"""Generate format_cases.json: torch's str(t) (PyTorch 1.13, default print options) for TensorFormatter tests.

Run with Debian's python3-torch:  /usr/bin/python3 make_format.py
Each case: name, dtype, shape, values (row-major, as strings: repr of the float64 value, or the integer;
bools as 0/1), suffixes (the grad suffixes the caller passes: grad_fn=<...> or requires_grad=True), expected.
"""
import json
import os

import torch

DTYPES = {torch.float32: "Float32", torch.float64: "Float64", torch.int64: "Int64", torch.bool: "Bool"}


def grad_suffixes(t):
    if t.grad_fn is not None:
        return ["grad_fn=<{}>".format(type(t.grad_fn).__name__)]
    if t.requires_grad:
        return ["requires_grad=True"]
    return []


def values_of(t):
    flat = t.detach().reshape(-1)
    if t.dtype == torch.bool:
        return [str(int(v)) for v in flat.tolist()]
    if t.dtype == torch.int64:
        return [str(v) for v in flat.tolist()]
    return [repr(float(v)) for v in flat.double().tolist()]


def main():
    torch.manual_seed(1234)
    cases = []

    def add(name, t):
        cases.append({
            "name": name,
            "dtype": DTYPES[t.dtype],
            "shape": list(t.shape),
            "values": values_of(t),
            "suffixes": grad_suffixes(t),
            "expected": str(t),
        })

    f32, f64 = torch.float32, torch.float64
    nan, inf = float("nan"), float("inf")

    # --- seed outputs
    add("seed_requires_grad_2d", torch.tensor([[2., 3.]], requires_grad=True))
    a = torch.tensor([[1., 1.]], requires_grad=True) * 1
    a[0, :] = 13.
    add("seed_copyslices", a)
    add("seed_2x2_int_mode", torch.tensor([[4., 3.], [2., 6.]]))
    add("seed_2x2_fixed", torch.full((2, 2), 4.5))
    add("seed_sci", torch.tensor([51.2, 512., 0.0512]))
    add("seed_scalar_mul", torch.tensor(14., requires_grad=True) * 2)
    add("seed_aligned_ints", torch.arange(0., 16., 4.))
    add("seed_bool_all_true", torch.ones(4, dtype=torch.bool))
    add("seed_int_sum_keepdim", torch.arange(24).reshape(2, 3, 4).sum(0, keepdim=True))
    add("seed_scalar_sum", torch.arange(24.).sum())
    add("seed_1x1_requires_grad", torch.tensor([[1.1046]], requires_grad=True))
    add("scalar_mean_backward", torch.tensor([17., 19.], requires_grad=True).mean())
    add("negative_aligned_mul", torch.tensor([-790.8533, 793.1236, 307.1018], requires_grad=True) * 1.0)

    # --- basic shapes / modes
    add("float_1d_int_mode", torch.tensor([2., 3.]))
    add("float_1d_fixed", torch.tensor([1.2, 1.2]))
    add("float_1d_single", torch.tensor([3.]))
    add("float_scalar_fixed", torch.tensor(0.1))
    add("float_scalar_sci", torch.tensor(1e-10))
    add("float_scalar_nan", torch.tensor(nan))
    add("float_scalar_neg_inf", torch.tensor(-inf))
    add("float_scalar_zero", torch.tensor(0.))
    add("float_randn_4x5", torch.randn(4, 5))
    add("float_randn_2x3x4", torch.randn(2, 3, 4))
    add("float_randn_4d", torch.randn(2, 2, 2, 2))
    add("float_ones_1x1x1", torch.ones(1, 1, 1))
    add("float_mixed_sign_fixed", torch.tensor([-1.5, 0., 2.25, -0.125]))

    # --- nonfinite, zeros, mixed
    add("nonfinite_int_mode", torch.tensor([1., inf, -inf, nan]))
    add("nonfinite_fixed", torch.tensor([1.5, nan, inf]))
    add("nonfinite_only", torch.tensor([inf, -inf, nan]))
    add("nonfinite_sci", torch.tensor([1e-5, inf, nan]))
    add("nan_from_zero_div", torch.zeros(3) / torch.zeros(3))
    add("zeros_only", torch.zeros(2, 3))
    add("neg_zero", torch.tensor([-0., 1.]))
    add("neg_zero_fixed", torch.tensor([-0., 1.5]))
    add("large_with_nan", torch.tensor([1e10, nan]))

    # --- very large / very small / thresholds
    add("small_and_one", torch.tensor([1e-5, 1.]))
    add("huge_and_tiny", torch.tensor([1e20, 1e-20]))
    add("huge_and_tiny_f64", torch.tensor([1e200, -1e-200], dtype=f64))
    add("int_mode_1e8", torch.tensor([1e8, 1.]))
    add("int_mode_above_1e8", torch.tensor([123456789., 1.]))
    add("int_mode_ratio_1000", torch.tensor([1., 1000.]))
    add("int_mode_ratio_1001", torch.tensor([1., 1001.]))
    add("fixed_ratio_sci", torch.tensor([0.5, 1000.5]))
    add("float32_1e-4_is_sci", torch.tensor([0.0001, 0.001]))
    add("float64_1e-4_is_fixed", torch.tensor([0.0001, 0.001], dtype=f64))
    add("rounding_ties_f64", torch.tensor([0.03125, 1.03125, 2.5, -0.15625], dtype=f64))
    add("rounding_ties_sci_f64", torch.tensor([1.03125e-5, 3.0, 0.5], dtype=f64))
    add("rounds_up_to_next_decade", torch.tensor([9.99999, 1e-5], dtype=f64))
    add("subnormal_f64", torch.tensor([5e-324, 1.0], dtype=f64))
    add("float32_max", torch.tensor([3.4028234663852886e38, -1.0]))

    # --- float64 dtype suffix placement
    add("f64_1d", torch.tensor([1., 2.], dtype=f64))
    add("f64_requires_grad", torch.tensor([1.5, 2.], dtype=f64, requires_grad=True))
    add("f64_grad_fn", torch.tensor([1.5, 2.], dtype=f64, requires_grad=True) * 2)
    add("f64_scalar", torch.tensor(3.25, dtype=f64))
    add("f64_2d_requires_grad", torch.randn(3, 3, dtype=f64, requires_grad=True))

    # --- int64 / bool
    add("int_arange_reshape", torch.arange(12).reshape(3, 4))
    add("int_negative", torch.tensor([-5, 100, 3]))
    add("int_extremes", torch.tensor([2 ** 62, -2 ** 63]))
    add("int_4d", torch.arange(16).reshape(2, 2, 2, 2))
    add("int_scalar", torch.tensor(7))
    add("int_long_row", torch.arange(100))
    add("bool_mixed", torch.tensor([True, False]))
    add("bool_2d", torch.tensor([[True, False], [False, False]]))
    add("bool_scalar", torch.tensor(False))

    # --- empty tensors
    add("empty_1d", torch.tensor([]))
    add("empty_0x3", torch.empty(0, 3))
    add("empty_f64", torch.empty(0, dtype=f64))
    add("empty_int64", torch.empty(0, dtype=torch.int64))
    add("empty_bool_3d", torch.empty(2, 0, 3, dtype=torch.bool))
    add("empty_requires_grad", torch.empty(0, 3, requires_grad=True))
    add("empty_f64_requires_grad", torch.empty(0, dtype=f64, requires_grad=True))

    # --- wrapping at linewidth, suffix wrapping
    add("wrap_arange30_div7", torch.arange(30.) / 7)
    add("wrap_randn40", torch.randn(40))
    add("wrap_2d_rows", torch.randn(2, 15))
    add("wrap_suffix_after_long_last_line", torch.randn(16, requires_grad=True))
    add("wrap_suffix_single_line", (torch.randn(7) * 100).requires_grad_())
    add("wrap_f64_two_suffixes", torch.randn(7, dtype=f64, requires_grad=True) * 100)
    add("wrap_3d_rows", torch.randn(2, 2, 12) * 1000)
    add("wrap_multi_line_suffix_fits", (torch.arange(30.) / 7).requires_grad_())

    # --- summarisation
    add("summ_arange2000", torch.arange(2000.))
    add("summ_ones_100x100", torch.ones(100, 100))
    add("summ_zeros_20x30x40", torch.zeros(20, 30, 40))
    add("summ_int_arange2000", torch.arange(2000))
    add("summ_randn1001", torch.randn(1001))
    add("summ_fixed_2d", torch.arange(1500.).reshape(30, 50) / 7)
    add("summ_bool", torch.ones(2000, dtype=torch.bool))
    add("summ_3d_last_dim_small", torch.randn(10, 10, 12))
    add("summ_wide_rows", torch.randn(2, 600))
    add("summ_tall_narrow", torch.arange(3000.).reshape(1000, 3))
    add("summ_grad_fn", torch.randn(1200, requires_grad=True) * 3)
    add("summ_f64_2d", torch.randn(40, 30, dtype=f64))
    add("summ_sci_edges", torch.cat([torch.tensor([1e-7]), torch.ones(2000), torch.tensor([5e5])]))
    add("summ_hidden_values_ignored", torch.cat([torch.ones(3), torch.full((1000,), 0.5), torch.ones(3)]))

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "format_cases.json")
    with open(out, "w") as f:
        # one case per line keeps diffs readable
        f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print("wrote", len(cases), "cases to", out)


if __name__ == "__main__":
    main()
