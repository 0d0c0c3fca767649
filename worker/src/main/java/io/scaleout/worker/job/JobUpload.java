package io.scaleout.worker.job;

import io.scaleout.common.worker.Workspace;

import java.nio.file.Path;

/** The upload a job reads, as its payload names it in the workspace. */
public final class JobUpload {
  private JobUpload() {
  }

  /** A job naming no upload, or a name that is not an upload's, can never succeed: a {@link JobFailure}. */
  public static Path of(Workspace workspace, Job job) {
    try {
      return workspace.upload(job.payload().getString("file"));
    } catch (IllegalArgumentException e) {
      throw new JobFailure(e.getMessage());
    }
  }
}
