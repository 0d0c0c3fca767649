package io.scaleout.gateway.upload;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Streams a request's body into a new file as it arrives, never holding it in memory: the request
 * is paused whenever the file lags behind, and its bytes are counted against a limit. The file is
 * kept only once the whole body is in it. Otherwise it is deleted and the client answered: 413
 * over the limit (refused before reading when Content-Length says so already), 400 for an empty
 * body, 503 when the file cannot be written; a client gone mid-body leaves nothing behind either.
 */
final class BodyToFile {
  private static final Logger log = LoggerFactory.getLogger(BodyToFile.class);
  /** What the future of a body that was not stored fails with: the client has its answer already. */
  private static final Future<Void> NOT_STORED = Future.failedFuture(new IllegalStateException("The upload was refused"));

  private final FileSystem fs;

  BodyToFile(FileSystem fs) {
    this.fs = fs;
  }

  /** Completes once the whole body is in {@code file}; fails once the client has been answered why not. */
  Future<Void> store(RoutingContext ctx, Path file, long limit) {
    HttpServerRequest request = ctx.request();
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declared.matches("[0-9]{1,18}") && Long.parseLong(declared) > limit) {
      ProblemResponses.bodyTooLarge(ctx, limit);
      return NOT_STORED;
    }
    // a body announced as empty may already count as ended, and an end that happened is never told again
    if (request.isEnded() || "0".equals(declared)) {
      emptyBody(ctx);
      return NOT_STORED;
    }
    Transfer transfer = new Transfer(ctx, file.toString(), limit);
    ctx.addEndHandler(ended -> {
      if (ended.failed()) {
        transfer.refuse(null);
      }
    });
    fs.mkdirs(file.getParent().toString())
        .compose(v -> fs.open(transfer.path, new OpenOptions().setWrite(true).setCreateNew(true)))
        .onSuccess(transfer::start)
        .onFailure(transfer::unwritable);
    return transfer.stored.future();
  }

  private static void emptyBody(RoutingContext ctx) {
    ProblemResponses.send(ctx, new Problem(FailureCode.BAD_REQUEST, "The body is empty", new JsonObject().put("field", "body")));
  }

  /** One body on its way into its file; everything runs on the request's context. */
  private final class Transfer {
    private final Promise<Void> stored = Promise.promise();
    private final RoutingContext ctx;
    private final String path;
    private final long limit;
    private AsyncFile file;
    private boolean open;
    private long received;
    /** False once the body has ended or been refused. */
    private boolean receiving = true;

    Transfer(RoutingContext ctx, String path, long limit) {
      this.ctx = ctx;
      this.path = path;
      this.limit = limit;
    }

    void start(AsyncFile opened) {
      file = opened;
      open = true;
      if (!receiving) {
        // the client left while the file was being opened
        discard();
        return;
      }
      ctx.request().handler(this::write).exceptionHandler(failure -> refuse(null)).endHandler(v -> end());
      if (ctx.request().isEnded()) {
        // the body ended while the file was being opened (nothing of it was held back)
        end();
        return;
      }
      ctx.request().resume();
    }

    private void write(Buffer chunk) {
      if (!receiving) {
        // refused: the rest is drained until the connection closes
        return;
      }
      received += chunk.length();
      if (received > limit) {
        refuse(() -> ProblemResponses.bodyTooLarge(ctx, limit));
        return;
      }
      file.write(chunk).onFailure(this::unwritable);
      if (file.writeQueueFull()) {
        ctx.request().pause();
        file.drainHandler(v -> ctx.request().resume());
      }
    }

    private void end() {
      if (!receiving) {
        return;
      }
      receiving = false;
      close().onComplete(closed -> {
        if (closed.failed()) {
          unwritable(closed.cause());
        } else if (received == 0) {
          refuse(() -> emptyBody(ctx));
        } else {
          stored.tryComplete();
        }
      });
    }

    void unwritable(Throwable failure) {
      log.warn("Cannot write the upload {}: {}", path, failure.toString());
      refuse(() -> ProblemResponses.send(ctx, Problem.of(FailureCode.UNAVAILABLE, "The workspace cannot take the upload now")));
    }

    /** Stops reading, deletes the file and answers the client (null: the client is gone); once only. */
    void refuse(Runnable answer) {
      if (stored.future().isComplete()) {
        return;
      }
      receiving = false;
      if (file != null) {
        discard();
      }
      if (answer != null) {
        answer.run();
      }
      stored.fail(NOT_STORED.cause());
    }

    /** Closing waits for the writes still queued, so nothing lands in the file after it. */
    private Future<Void> close() {
      open = false;
      return file.close();
    }

    private void discard() {
      (open ? close() : Future.<Void>succeededFuture()).onComplete(closed -> fs.delete(path));
    }
  }
}
