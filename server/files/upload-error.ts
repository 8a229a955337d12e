import {
  type UploadErrorCode,
  type UploadErrorParams,
  type UploadField,
  uploadErrorMessage,
  uploadErrorStatus,
} from '../../shared/files';

/** An upload refused for a reason shared/files.ts words in every UI language; the API answers in English. */
export class UploadError extends Error {
  readonly status: number;

  constructor(
    readonly code: UploadErrorCode,
    readonly field: UploadField | null,
    params: UploadErrorParams = {},
  ) {
    super(uploadErrorMessage(code, params, 'en'));
    this.status = uploadErrorStatus(code);
  }
}
