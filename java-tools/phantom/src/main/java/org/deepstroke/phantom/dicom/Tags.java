package org.deepstroke.phantom.dicom;

/** The DICOM tags the phantom writes, as (group << 16 | element). */
public final class Tags {
    public static final int SpecificCharacterSet = 0x00080005;
    public static final int ImageType = 0x00080008;
    public static final int InstanceCreationDate = 0x00080012;
    public static final int InstanceCreationTime = 0x00080013;
    public static final int SOPClassUID = 0x00080016;
    public static final int SOPInstanceUID = 0x00080018;
    public static final int StudyDate = 0x00080020;
    public static final int SeriesDate = 0x00080021;
    public static final int AcquisitionDate = 0x00080022;
    public static final int ContentDate = 0x00080023;
    public static final int StudyTime = 0x00080030;
    public static final int SeriesTime = 0x00080031;
    public static final int AcquisitionTime = 0x00080032;
    public static final int ContentTime = 0x00080033;
    public static final int AccessionNumber = 0x00080050;
    public static final int Modality = 0x00080060;
    public static final int ConversionType = 0x00080064;
    public static final int Manufacturer = 0x00080070;
    public static final int InstitutionName = 0x00080080;
    public static final int InstitutionAddress = 0x00080081;
    public static final int ReferringPhysicianName = 0x00080090;
    public static final int StationName = 0x00081010;
    public static final int StudyDescription = 0x00081030;
    public static final int SeriesDescription = 0x0008103E;
    public static final int InstitutionalDepartmentName = 0x00081040;
    public static final int PerformingPhysicianName = 0x00081050;
    public static final int OperatorsName = 0x00081070;
    public static final int ManufacturerModelName = 0x00081090;
    public static final int ReferencedImageSequence = 0x00081140;
    public static final int ReferencedSOPClassUID = 0x00081150;
    public static final int ReferencedSOPInstanceUID = 0x00081155;
    public static final int DerivationDescription = 0x00082111;
    public static final int SourceImageSequence = 0x00082112;
    public static final int PatientName = 0x00100010;
    public static final int PatientID = 0x00100020;
    public static final int PatientBirthDate = 0x00100030;
    public static final int PatientSex = 0x00100040;
    public static final int PatientAge = 0x00101010;
    public static final int PatientWeight = 0x00101030;
    public static final int ContrastBolusAgent = 0x00180010;
    public static final int BodyPartExamined = 0x00180015;
    public static final int ScanOptions = 0x00180022;
    public static final int SliceThickness = 0x00180050;
    public static final int KVP = 0x00180060;
    public static final int SpacingBetweenSlices = 0x00180088;
    public static final int DataCollectionDiameter = 0x00180090;
    public static final int DeviceSerialNumber = 0x00181000;
    public static final int DateOfSecondaryCapture = 0x00181012;
    public static final int TimeOfSecondaryCapture = 0x00181014;
    public static final int SecondaryCaptureDeviceManufacturer = 0x00181016;
    public static final int SecondaryCaptureDeviceManufacturerModelName = 0x00181018;
    public static final int SoftwareVersions = 0x00181020;
    public static final int ProtocolName = 0x00181030;
    public static final int ContrastBolusRoute = 0x00181040;
    public static final int ContrastBolusVolume = 0x00181041;
    public static final int ContrastBolusStartTime = 0x00181042;
    public static final int ContrastBolusTotalDose = 0x00181044;
    public static final int ContrastBolusIngredientConcentration = 0x00181049;
    public static final int ReconstructionDiameter = 0x00181100;
    public static final int DistanceSourceToDetector = 0x00181110;
    public static final int DistanceSourceToPatient = 0x00181111;
    public static final int GantryDetectorTilt = 0x00181120;
    public static final int TableHeight = 0x00181130;
    public static final int RotationDirection = 0x00181140;
    public static final int ExposureTime = 0x00181150;
    public static final int XRayTubeCurrent = 0x00181151;
    public static final int Exposure = 0x00181152;
    public static final int FilterType = 0x00181160;
    public static final int GeneratorPower = 0x00181170;
    public static final int FocalSpots = 0x00181190;
    public static final int ConvolutionKernel = 0x00181210;
    public static final int PatientPosition = 0x00185100;
    public static final int AcquisitionType = 0x00189302;
    public static final int RevolutionTime = 0x00189305;
    public static final int SingleCollimationWidth = 0x00189306;
    public static final int TotalCollimationWidth = 0x00189307;
    public static final int TableSpeed = 0x00189309;
    public static final int TableFeedPerRotation = 0x00189310;
    public static final int SpiralPitchFactor = 0x00189311;
    public static final int CTDIvol = 0x00189345;
    public static final int CTDIPhantomTypeCodeSequence = 0x00189346;
    public static final int CodeValue = 0x00080100;
    public static final int CodingSchemeDesignator = 0x00080102;
    public static final int CodeMeaning = 0x00080104;
    public static final int Laterality = 0x00200060;
    public static final int StudyInstanceUID = 0x0020000D;
    public static final int SeriesInstanceUID = 0x0020000E;
    public static final int StudyID = 0x00200010;
    public static final int SeriesNumber = 0x00200011;
    public static final int AcquisitionNumber = 0x00200012;
    public static final int InstanceNumber = 0x00200013;
    public static final int PatientOrientation = 0x00200020;
    public static final int ImagePositionPatient = 0x00200032;
    public static final int ImageOrientationPatient = 0x00200037;
    public static final int FrameOfReferenceUID = 0x00200052;
    public static final int PositionReferenceIndicator = 0x00201040;
    public static final int SliceLocation = 0x00201041;
    public static final int ImageComments = 0x00204000;
    public static final int SamplesPerPixel = 0x00280002;
    public static final int PhotometricInterpretation = 0x00280004;
    public static final int Rows = 0x00280010;
    public static final int Columns = 0x00280011;
    public static final int PixelSpacing = 0x00280030;
    public static final int BitsAllocated = 0x00280100;
    public static final int BitsStored = 0x00280101;
    public static final int HighBit = 0x00280102;
    public static final int PixelRepresentation = 0x00280103;
    public static final int BurnedInAnnotation = 0x00280301;
    public static final int WindowCenter = 0x00281050;
    public static final int WindowWidth = 0x00281051;
    public static final int RescaleIntercept = 0x00281052;
    public static final int RescaleSlope = 0x00281053;
    public static final int RescaleType = 0x00281054;
    public static final int WindowCenterWidthExplanation = 0x00281055;
    public static final int LossyImageCompression = 0x00282110;
    public static final int PixelData = 0x7FE00010;

    /** Overlay plane module elements of group 60xx ({@code group} 0x6000, 0x6002, ... 0x601E). */
    public static int overlay(int group, int element) {
        if (group < 0x6000 || group > 0x601E || (group & 1) != 0) {
            throw new IllegalArgumentException("not an overlay group: " + Integer.toHexString(group));
        }
        return (group << 16) | element;
    }

    public static final int OverlayRows = 0x0010;
    public static final int OverlayColumns = 0x0011;
    public static final int OverlayDescription = 0x0022;
    public static final int OverlayType = 0x0040;
    public static final int OverlayOrigin = 0x0050;
    public static final int OverlayBitsAllocated = 0x0100;
    public static final int OverlayBitPosition = 0x0102;
    public static final int OverlayLabel = 0x1500;
    public static final int OverlayData = 0x3000;

    private Tags() {
    }
}
