#!/usr/bin/python3
"""Fits the polynomial colormap used by shaders/viridis.glsl.

Developer tool, not part of the build: needs Debian's python3-matplotlib.
Viridis (van der Walt & Smith, CC0) is perceptually uniform and readable with
the common colour-vision deficiencies. We fit one degree-6 polynomial per
channel to matplotlib's 256-entry table and print GLSL; the fit's worst error
is printed too (in 8-bit steps).
"""
import numpy as np
from matplotlib import colormaps

lut = colormaps["viridis"](np.linspace(0, 1, 256))[:, :3]
t = np.linspace(0, 1, 256)
degree = 6
V = np.vander(t, degree + 1, increasing=True)
coef, *_ = np.linalg.lstsq(V, lut, rcond=None)
err = np.abs(V @ coef - lut).max() * 255
print(f"// max error {err:.2f} / 255")
for k in range(degree + 1):
    c = coef[k]
    print(f"const vec3 c{k} = vec3({c[0]:+.6f}, {c[1]:+.6f}, {c[2]:+.6f});")
