package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkHeadTest {
  private static final String NETTY_HEAD =
      """
      /*
       * Copyright 2013 The Netty Project
       *
       * The Netty Project licenses this file to you under the Apache License,
       * version 2.0 (the "License"); you may not use this file except in compliance
       * with the License. You may obtain a copy of the License at:
       */
      package io.netty.util;

      import io.netty.util.internal.EmptyArrays;
      import java.util.concurrent.atomic.AtomicInteger;

      /**
       * Tracks resources that were never released, and reports them with the
       * <p>stack trace of their last {@code access()}.
       */
      public class ResourceLeakDetector<T> {
      """;

  @Test
  void theEmbeddedHeadSkipsTheLicenceThePackageAndTheImportsAndStartsWithTheDocComment() {
    String head = Embedder.chunkText("/src/io/netty/util/ResourceLeakDetector.java", NETTY_HEAD);

    assertThat(head)
        .startsWith(
            "Resource Leak Detector\nTracks resources that were never released, and reports them with the stack trace of their last access().")
        .contains("public class ResourceLeakDetector<T> {")
        .doesNotContain("License", "import", "package", "<p>", "{@code", "*");
  }

  @Test
  void aLongHeadIsCutAtTheCapAndAnOrdinaryCommentIsKept() {
    String text = "// a comment that explains the loop\n" + "int x = 1;\n".repeat(100);

    String head = ChunkHead.of(text, Embedder.MAX_CHARS);

    assertThat(head)
        .startsWith("a comment that explains the loop int x = 1; int x = 1;")
        .hasSizeLessThanOrEqualTo(Embedder.MAX_CHARS);
  }

  @Test
  void fileNamesBecomeWordsAtCamelCaseUnderscoresAndAcronyms() {
    assertThat(ChunkHead.words("ResourceLeakDetector.java")).isEqualTo("Resource Leak Detector");
    assertThat(ChunkHead.words("UTF8JsonGenerator.java")).isEqualTo("UTF8 Json Generator");
    assertThat(ChunkHead.words("snake_case-name.py")).isEqualTo("snake case name");
    assertThat(ChunkHead.words("README")).isEqualTo("README");
  }
}
