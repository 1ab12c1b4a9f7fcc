package io.modelmonitor.models.bundle;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.numeric.NumericEncoder;
import io.modelmonitor.models.runtime.SharedModels;
import io.modelmonitor.models.text.TextEncoder;
import io.modelmonitor.models.text.TextModelSource;
import java.io.IOException;

/**
 * Opens the encoder a bundle was fitted with, from the location in its manifest or an override
 * ({@code --encoder}), with the bundle's preprocessing settings, and refuses it unless its identity
 * matches the bundle's. {@link #acquire} shares one instance per JVM between Flink subtasks.
 *
 * <pre>{@code
 * // in a Flink operator's open():
 * lease = BundleEncoders.acquire(bundle, null, Device.CPU, 1);
 * float[][] v = ((Encoder<String>) lease.get()).embed(texts);
 * // in close():
 * lease.close();
 * }</pre>
 */
public final class BundleEncoders {

  private BundleEncoders() {}

  /**
   * A new encoder for the bundle (the caller closes it).
   *
   * @param location overrides the manifest's encoder location, or {@code null}
   * @throws BundleException when the encoder cannot be opened or does not match the bundle
   */
  public static Encoder<?> open(ReferenceBundle bundle, String location, Device device, int intraOpThreads)
      throws BundleException {
    EncoderIdentity expected = bundle.encoderIdentity();
    Encoder<?> encoder = switch (bundle.modality()) {
      case NUMERIC -> new NumericEncoder(expected.dimension());
      case TEXT -> openText(expected, resolve(bundle, location), device, intraOpThreads);
      case IMAGE -> throw new BundleException("image bundles need an image encoder, which this version does not provide");
    };
    try {
      bundle.requireEncoder(encoder);
      return encoder;
    } catch (BundleException e) {
      encoder.close();
      throw e;
    }
  }

  /**
   * The JVM-wide shared encoder for the bundle: loaded by the first caller, closed when the last
   * lease closes.
   */
  @SuppressWarnings("unchecked")
  public static SharedModels.Lease<Encoder<?>> acquire(ReferenceBundle bundle, String location, Device device,
      int intraOpThreads) throws BundleException {
    String key = "encoder/" + bundle.modality().label() + "/" + bundle.encoderIdentity().sha256() + "/"
        + bundle.encoderIdentity().preprocessing() + "/" + resolveOrEmpty(bundle, location) + "/" + device.label()
        + "/" + intraOpThreads;
    try {
      return (SharedModels.Lease<Encoder<?>>) (SharedModels.Lease<?>) SharedModels.acquire(key,
          () -> open(bundle, location, device, intraOpThreads));
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof BundleException be) {
        throw be;
      }
      throw new BundleException(e.getMessage(), e);
    }
  }

  private static TextEncoder openText(EncoderIdentity expected, String location, Device device, int threads)
      throws BundleException {
    try {
      TextEncoder.Builder builder = TextEncoder.builder().optModel(TextModelSource.at(location))
          .optDevice(device).optIntraOpThreads(threads);
      String maxLength = expected.preprocessing().get("max_length");
      if (maxLength != null) {
        builder.optMaxLength(Integer.parseInt(maxLength));
      }
      String output = expected.preprocessing().get("output");
      if (output != null) {
        builder.optOutputName(output);
      }
      return builder.build();
    } catch (IOException | RuntimeException e) {
      throw new BundleException("cannot open text encoder " + location + ": " + e.getMessage(), e);
    }
  }

  private static String resolve(ReferenceBundle bundle, String location) throws BundleException {
    String resolved = resolveOrEmpty(bundle, location);
    if (resolved.isEmpty()) {
      throw new BundleException("the bundle names no encoder location; give one with --encoder");
    }
    return resolved;
  }

  private static String resolveOrEmpty(ReferenceBundle bundle, String location) {
    return location != null ? location : bundle.encoderLocation().orElse("");
  }
}
