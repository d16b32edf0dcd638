#!/usr/bin/python3
"""Writes the own-*.dcm files of this folder: more inputs of the field cases'
kinds, made from the team's samples with pydicom (Debian's python3-pydicom
2.3.1). Run with Debian's interpreter:  /usr/bin/python3 make_own_cases.py

- own-61b-pixel-data-vr-un-big-endian.dcm: 61-pixel-data-vr-un.dcm in
  explicit VR big endian, Pixel Data still written as UN, its 16-bit words
  in big endian order (PS3.5 §6.2.2: a UN value keeps the transfer syntax's
  byte order). Same samples, so the same figures as 61.
- own-28c/28d: signed 16-bit samples (BitsStored 16, -3000..3000), as JPEG
  2000 whose codestream says unsigned (the samples' two's complement bits
  compressed as unsigned 16-bit by opj_compress, Debian's
  libopenjp2-tools) and uncompressed (the twin whose figures it must give).
- own-28e/28f: the same for 2 frames of signed 12-bit samples (-2048..2047).
- own-28g: 28b-twin-uncompressed-same-samples.dcm as JPEG-LS lossless
  (dcmcjpls, DCMTK): another codec path, whose figures must be 28b's.
- own-50b: 50-enhanced-random-frame-order.dcm with 6 frames stored in
  descending order, z = 50, 40, ..., 0: in space, frame 5 first; the middle
  (index 3 of 6) is frame 2, z = 30.
- own-50c: 5 frames on an oblique plane (rows along x, columns tilted 30
  degrees from y towards z), each with its own PlaneOrientationSequence
  (none shared), at distances 7, 3, -1, 5, 1 mm along the normal: in space
  frames 2, 4, 1, 3, 0; the middle is frame 1.
Each frame's samples are 100 + its position along the normal x 10, so a
frame's maximum tells which it is.
- own-61c-non-square-pixels.dcm: 61-pixel-data-vr-un.dcm with Pixel Data as
  OW and PixelSpacing 0.5\\0.8 (rows 0.5 mm apart, columns 0.8 mm apart,
  PS3.3 §10.7.1.3): a voxel of 0.5 x 0.8 x 2 = 0.8 mm3.
- own-28h-explicit-data-set-implicit-meta.dcm: 28b-twin-uncompressed-same-
  samples.dcm whose file meta information says Implicit VR Little Endian
  while its data set stays explicit VR, as some writers do: pydicom reads it
  (with a warning), Orthanc refuses to store it.
"""
import copy
import math
import os
import subprocess
import tempfile

import numpy
import pydicom
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRBigEndian, ImplicitVRLittleEndian, JPEG2000Lossless

HERE = os.path.dirname(os.path.abspath(__file__))


def un_big_endian():
    ds = pydicom.dcmread(os.path.join(HERE, "61-pixel-data-vr-un.dcm"))
    samples = ds.pixel_array.astype(numpy.uint16)
    ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
    ds.is_little_endian = False
    ds.is_implicit_VR = False
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".2"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.SeriesInstanceUID = ds.SeriesInstanceUID + ".2"
    ds.PixelData = samples.astype(">u2").tobytes()
    ds["PixelData"].VR = "UN"
    ds.save_as(os.path.join(HERE, "own-61b-pixel-data-vr-un-big-endian.dcm"),
               write_like_original=False)


def j2k_frame(samples, bits):
    """A JPEG 2000 codestream of one frame of int16 samples, their `bits`
    low bits (two's complement) compressed as unsigned (what some encoders
    write for signed data)."""
    rows, columns = samples.shape
    with tempfile.TemporaryDirectory() as work:
        raw = os.path.join(work, "frame.raw")
        j2k = os.path.join(work, "frame.j2k")
        (samples.astype(numpy.int64) & ((1 << bits) - 1)).astype(">u2").tofile(raw)  # opj_compress reads raw big endian
        subprocess.run(["opj_compress", "-i", raw, "-o", j2k,
                        "-F", f"{columns},{rows},1,{bits},u", "-n", "3"],
                       check=True, capture_output=True)
        with open(j2k, "rb") as codestream:
            return codestream.read()


def signed_pair(stem, frames, bits_stored, seed):
    """A JPEG 2000 file with an unsigned codestream and its uncompressed twin,
    both of signed samples, from 28b's header."""
    rng = numpy.random.default_rng(seed)
    low, high = -(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1
    samples = rng.integers(low, high + 1, size=(frames, 16, 16), dtype=numpy.int64)
    samples[0, 0, 0], samples[0, 0, 1] = low, high  # the whole range, for the min-max
    samples = samples.astype(numpy.int16)
    for suffix, compressed in (("uncompressed", False), ("j2k-unsigned-codestream", True)):
        ds = pydicom.dcmread(os.path.join(HERE, "28b-twin-uncompressed-same-samples.dcm"))
        ds.SeriesInstanceUID = f"{ds.SeriesInstanceUID}.{seed}"
        ds.SOPInstanceUID = f"{ds.SOPInstanceUID}.{seed}{int(compressed)}"
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits_stored, bits_stored - 1, 1
        if frames > 1:
            ds.NumberOfFrames = frames
        if compressed:
            ds.file_meta.TransferSyntaxUID = JPEG2000Lossless
            ds.PixelData = encapsulate([j2k_frame(frame, bits_stored) for frame in samples])
            ds["PixelData"].VR = "OB"
            ds["PixelData"].is_undefined_length = True
        else:
            ds.PixelData = samples.astype("<i2").tobytes()
        ds.save_as(os.path.join(HERE, f"{stem}-{suffix}.dcm"), write_like_original=False)


def jpeg_ls_of_28b():
    """dcmcjpls keeps the UIDs: the copy gets its own, in a series of its own."""
    target = os.path.join(HERE, "own-28g-jpeg-ls-of-28b.dcm")
    subprocess.run(["dcmcjpls", os.path.join(HERE, "28b-twin-uncompressed-same-samples.dcm"),
                    target], check=True)
    ds = pydicom.dcmread(target)
    ds.SeriesInstanceUID = ds.SeriesInstanceUID + ".7"
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".7"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(target)


def enhanced(name, uid_suffix, distances, row, column, shared_orientation):
    """50's header with frames at `distances` (mm) along the normal of the
    plane of `row` and `column` cosines; per-frame orientation unless shared."""
    ds = pydicom.dcmread(os.path.join(HERE, "50-enhanced-random-frame-order.dcm"))
    normal = numpy.cross(row, column)
    template = ds.PerFrameFunctionalGroupsSequence[0]
    shared = ds.SharedFunctionalGroupsSequence[0]
    orientation = [float(v) for v in (*row, *column)]
    if shared_orientation:
        shared.PlaneOrientationSequence[0].ImageOrientationPatient = orientation
    else:
        plane = shared.PlaneOrientationSequence
        del shared.PlaneOrientationSequence
    frames = []
    for number, distance in enumerate(distances):
        frame = copy.deepcopy(template)
        position = numpy.array([-4.0, -4.0, 0.0]) + distance * normal
        frame.PlanePositionSequence[0].ImagePositionPatient = [round(float(v), 6) for v in position]
        frame.FrameContentSequence[0].InStackPositionNumber = number + 1
        if not shared_orientation:
            frame.PlaneOrientationSequence = copy.deepcopy(plane)
            frame.PlaneOrientationSequence[0].ImageOrientationPatient = orientation
        frames.append(frame)
    ds.PerFrameFunctionalGroupsSequence = frames
    ds.NumberOfFrames = len(distances)
    samples = numpy.zeros((len(distances), ds.Rows, ds.Columns), dtype=numpy.uint16)
    for number, distance in enumerate(distances):
        samples[number, 4:12, 4:12] = 100 + 10 * distance
    ds.PixelData = samples.astype("<u2").tobytes()
    ds.SeriesInstanceUID = f"{ds.SeriesInstanceUID}.{uid_suffix}"
    ds.SOPInstanceUID = f"{ds.SOPInstanceUID}.{uid_suffix}"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(os.path.join(HERE, name), write_like_original=False)


def non_square_pixels():
    ds = pydicom.dcmread(os.path.join(HERE, "61-pixel-data-vr-un.dcm"))
    samples = ds.pixel_array.astype("<u2")
    ds.PixelData = samples.tobytes()
    ds["PixelData"].VR = "OW"
    ds.PixelSpacing = [0.5, 0.8]
    ds.SeriesInstanceUID = ds.SeriesInstanceUID + ".3"
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".3"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(os.path.join(HERE, "own-61c-non-square-pixels.dcm"), write_like_original=False)


def mislabelled_implicit():
    ds = pydicom.dcmread(os.path.join(HERE, "28b-twin-uncompressed-same-samples.dcm"))
    ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    ds.is_implicit_VR, ds.is_little_endian = False, True  # what the data set really is
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".8"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(os.path.join(HERE, "own-28h-explicit-data-set-implicit-meta.dcm"),
               write_like_original=True)


if __name__ == "__main__":
    un_big_endian()
    signed_pair("own-28cd-signed-16bit", 1, 16, 28)
    signed_pair("own-28ef-signed-12bit-2-frames", 2, 12, 29)
    jpeg_ls_of_28b()
    non_square_pixels()
    mislabelled_implicit()
    enhanced("own-50b-enhanced-descending.dcm", 502, [50, 40, 30, 20, 10, 0],
             [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], True)
    tilt = math.radians(30)
    enhanced("own-50c-enhanced-oblique-per-frame-orientation.dcm", 503, [7, 3, -1, 5, 1],
             [1.0, 0.0, 0.0], [0.0, math.cos(tilt), math.sin(tilt)], False)
