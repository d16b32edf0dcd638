#!/usr/bin/python3
"""Independent reference pictures for the integration tests, made with pydicom
+ numpy (Debian's /usr/bin/python3: pydicom 2.3 with numpy 1.24 on Debian 12,
pydicom 2.4 with numpy 2.2 on Debian 13), never with the code under test.

  dicom_reference.py window FILE OUT.pgm [--center C --width W]
      FILE's (first) frame windowed to 8-bit grey: value = stored * RescaleSlope
      + RescaleIntercept, then the linear VOI function of DICOM PS3.3
      C.11.2.1.2.1 with the given window, or else the file's first
      WindowCenter / WindowWidth:
        x <= c - 0.5 - (w-1)/2          -> 0
        x >  c - 0.5 + (w-1)/2          -> 255
        else ((x - (c - 0.5)) / (w-1) + 0.5) * 255, rounded half up.
      Prints "<center> <width>" (the window used).

  dicom_reference.py mask FILE OUT.pgm --series FILE... [--threshold T]
      1 where FILE's stored value, normalized over the min..max of the stored
      values of all the series files, is > T (default 0.5), else 0.
      Prints "<min> <max> <pixels in the mask>".

  dicom_reference.py colour FILE OUT.ppm [--frame N]
      FILE's frame N (default 0) as 8-bit RGB: pydicom's samples, a palette
      applied (PALETTE COLOR, pydicom's apply_color_lut), YBR_FULL and
      YBR_FULL_422 converted to RGB (pydicom's convert_color_space, PS3.3
      C.7.6.3.1.2), samples of more than 8 bits cut to their 8 high bits.

OUT.pgm is a binary PGM ("P5\\n<columns> <rows>\\n255\\n" then one byte per
pixel, rows top to bottom).
"""

import argparse
import sys

import numpy as np
import pydicom


def first_value(value):
    if isinstance(value, pydicom.multival.MultiValue):
        return float(value[0])
    return float(value)


def first_frame(dataset):
    pixels = dataset.pixel_array
    if int(dataset.get("NumberOfFrames", 1) or 1) > 1:
        pixels = pixels[0]
    return pixels.astype(np.float64)


def write_pgm(path, image):
    image = np.ascontiguousarray(image, dtype=np.uint8)
    rows, columns = image.shape
    with open(path, "wb") as out:
        out.write(b"P5\n%d %d\n255\n" % (columns, rows))
        out.write(image.tobytes())


def window(arguments):
    dataset = pydicom.dcmread(arguments.file)
    if dataset.PhotometricInterpretation != "MONOCHROME2":
        sys.exit("only MONOCHROME2 is handled by this reference")
    slope = float(dataset.get("RescaleSlope", 1))
    intercept = float(dataset.get("RescaleIntercept", 0))
    x = first_frame(dataset) * slope + intercept
    if arguments.center is not None:
        c, w = arguments.center, arguments.width
    else:
        c, w = first_value(dataset.WindowCenter), first_value(dataset.WindowWidth)
    lower = c - 0.5 - (w - 1) / 2
    upper = c - 0.5 + (w - 1) / 2
    y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255
    y = np.clip(np.floor(y + 0.5), 0, 255)
    out = np.where(x <= lower, 0, np.where(x > upper, 255, y))
    write_pgm(arguments.out, out)
    print(repr(float(c)), repr(float(w)))


def mask(arguments):
    stored = [pydicom.dcmread(f).pixel_array.astype(np.float64) for f in arguments.series]
    low = min(a.min() for a in stored)
    high = max(a.max() for a in stored)
    target = first_frame(pydicom.dcmread(arguments.file))
    normalized = (target - low) / (high - low)
    above = normalized > arguments.threshold
    write_pgm(arguments.out, above.astype(np.uint8))
    # float(): numpy 2 (Debian 13) writes repr(np.float64(0.0)) as "np.float64(0.0)".
    print(repr(float(low)), repr(float(high)), int(above.sum()))


def write_ppm(path, image):
    image = np.ascontiguousarray(image, dtype=np.uint8)
    rows, columns, _ = image.shape
    with open(path, "wb") as out:
        out.write(b"P6\n%d %d\n255\n" % (columns, rows))
        out.write(image.tobytes())


def colour(arguments):
    from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space
    dataset = pydicom.dcmread(arguments.file)
    pixels = dataset.pixel_array
    if int(dataset.get("NumberOfFrames", 1) or 1) > 1:
        pixels = pixels[arguments.frame]
    photometric = dataset.PhotometricInterpretation
    bits = int(dataset.BitsAllocated)
    if photometric == "PALETTE COLOR":
        pixels = apply_color_lut(pixels, dataset)
        # The palette's entry size (8 or 16 bits), from its descriptor.
        bits = int(dataset.RedPaletteColorLookupTableDescriptor[2])
    elif photometric in ("YBR_FULL", "YBR_FULL_422"):
        pixels = convert_color_space(pixels, "YBR_FULL", "RGB")
    elif photometric != "RGB":
        sys.exit("only RGB, YBR_FULL, YBR_FULL_422 and PALETTE COLOR are handled here")
    pixels = pixels.astype(np.int64) >> max(0, bits - 8)
    write_ppm(arguments.out, np.clip(pixels, 0, 255))
    print(photometric)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["window", "mask", "colour"])
    parser.add_argument("file")
    parser.add_argument("out")
    parser.add_argument("--center", type=float)
    parser.add_argument("--width", type=float)
    parser.add_argument("--series", nargs="+")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--frame", type=int, default=0)
    arguments = parser.parse_args()
    if (arguments.center is None) != (arguments.width is None):
        parser.error("give --center and --width together")
    if arguments.mode == "mask" and not arguments.series:
        parser.error("mask needs --series")
    {"window": window, "mask": mask, "colour": colour}[arguments.mode](arguments)


if __name__ == "__main__":
    main()
