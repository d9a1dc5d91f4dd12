"""nibabel as an independent reference for the NIfTI tests (run with the project venv's python).

dump IN PREFIX   -> PREFIX.json (shape, best affine, codes) and PREFIX.f64 (get_fdata, x fastest, float64 LE)
fixtures DIR     -> writes NIfTI files exercising what our reader must handle; prints their paths
"""
import json
import sys

import nibabel as nib
import numpy as np


def dump(path, prefix):
    img = nib.load(path)
    data = np.asarray(img.get_fdata(dtype=np.float64))
    hdr = img.header
    with open(prefix + ".json", "w") as f:
        json.dump({"shape": list(data.shape), "affine": img.affine.tolist(),
                   "sform_code": int(hdr["sform_code"]), "qform_code": int(hdr["qform_code"])}, f)
    data.astype("<f8").ravel(order="F").tofile(prefix + ".f64")


def fixtures(out):
    rng = np.random.default_rng(7)
    theta = np.deg2rad(12.0)
    oblique = np.array([[0.9 * np.cos(theta), -0.9 * np.sin(theta), 0, -80.5],
                        [0.9 * np.sin(theta), 0.9 * np.cos(theta), 0, -100.25],
                        [0, 0, 2.5, -60.0],
                        [0, 0, 0, 1]])
    written = []

    # int16 with scl_slope/scl_inter, big-endian, qform only (sform code 0)
    raw = rng.integers(-2000, 2000, size=(11, 9, 5)).astype(">i2")
    img = nib.Nifti1Image(raw, None)
    img.header.set_qform(oblique, code=1)
    img.header.set_sform(None, code=0)
    img.header.set_slope_inter(2.5, -100.0)
    p = out + "/nib_int16_scaled_bigendian_qform.nii"
    nib.save(img, p)
    written.append(p)

    # float64, sform only, left-handed axes
    lh = np.diag([-1.2, 1.0, 3.0, 1.0])
    lh[:3, 3] = [90, -126, -72]
    img = nib.Nifti1Image(rng.normal(size=(7, 6, 4)), lh)
    img.header.set_qform(None, code=0)
    img.header.set_sform(lh, code=4)
    p = out + "/nib_float64_sform_mni.nii.gz"
    nib.save(img, p)
    written.append(p)

    # uint16 and uint8 compressed, both forms set
    for dt in ("uint16", "uint8", "int32", "float32"):
        img = nib.Nifti1Image(rng.integers(0, 250, size=(8, 8, 3)).astype(dt), oblique)
        img.header.set_slope_inter(1.0, 0.0)
        p = out + "/nib_%s.nii.gz" % dt
        nib.save(img, p)
        written.append(p)

    # 4-D with one volume (dim[0] = 4, dim[4] = 1), as many tools write
    img = nib.Nifti1Image(rng.normal(size=(5, 4, 3, 1)).astype("float32"), oblique)
    p = out + "/nib_4d_single_volume.nii"
    nib.save(img, p)
    written.append(p)
    print("\n".join(written))


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "fixtures":
        fixtures(sys.argv[2])
    else:
        sys.exit("unknown command " + sys.argv[1])
