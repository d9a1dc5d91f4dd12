package org.deepstroke.ingest.convert;

import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;

/** A converted series: the volume (HU, RAS), its datatype and the sidecar facts. */
public record ConvertedSeries(ImageVolume volume, NiftiDatatype datatype, SeriesGeometry geometry,
        java.util.Map<String, Object> sidecar, List<String> warnings) {
}
