export { formatYen, formatJstDate, formatJstDateTime, jstDateParts } from './format.ts';
export type { FormatYenOptions, FormatJstDateOptions, DateInput } from './format.ts';
export { renderPdf } from './pdf.ts';
export type {
  PdfDocumentSpec,
  PdfBlock,
  PdfIssuer,
  PdfRecipient,
  PdfTableColumn,
  PdfAlign,
  PdfKeyValuesBlock,
  PdfTableBlock,
  PdfTextBlock,
  PdfHeadingBlock,
  PdfSpacerBlock,
} from './pdf.ts';
export { toCsv, csvContentType, CsvEncodingError, CP932_REPLACEMENT } from './csv.ts';
export type { CsvEncoding, CsvCell, CsvOptions, CsvUnmappable } from './csv.ts';
export { zipFiles, unzipFiles, ZipNameError } from './zip.ts';
export type { ZipInputFile, ZipOptions, ZipNameProblem } from './zip.ts';
export {
  createRfc3161Client,
  buildTimeStampRequest,
  parseTimeStampResponse,
  inspectTimeStampToken,
  sha256,
  timeStampDocument,
  TimeStampError,
  SHA256_OID,
} from './timestamp/rfc3161.ts';
export type { TimeStampAuthority, TimeStampErrorCode, TimeStampTokenInfo, Rfc3161ClientOptions, StampedDocument } from './timestamp/rfc3161.ts';
export { startLocalTsa, LOCAL_TSA_POLICY } from './timestamp/local-tsa.ts';
export type { LocalTsa } from './timestamp/local-tsa.ts';
export { verifyTimeStampToken } from './timestamp/verify.ts';
export type { TimeStampVerification, VerifyOptions } from './timestamp/verify.ts';
export { taxPerRate, isRegistrationNumber, corporateNumberCheckDigit, TAX_RATE_PERCENTS } from './qualified-invoice.ts';
export type { TaxBasis, TaxedAmount, TaxPerRate, TaxRatePercent } from './qualified-invoice.ts';
export { ISSUER, parseIssuer } from './issuer.ts';
export type { Issuer } from './issuer.ts';
export { configureTsa, tsaOf } from './timestamp/configured-tsa.ts';
export type { ConfiguredTsa } from './timestamp/configured-tsa.ts';
