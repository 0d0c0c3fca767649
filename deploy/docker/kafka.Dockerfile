# scaleout/kafka: a single-node KRaft broker+controller, the same Kafka as the clients (the server
# jars from Maven Central that the local cluster runs, copied in by build.sh), on scaleout/jre.
ARG JRE_IMAGE
FROM ${JRE_IMAGE}
COPY kafka-libs /opt/kafka/libs
COPY server.properties.template log4j2.properties /opt/kafka/
COPY kafka-start.sh /usr/local/bin/kafka-start
RUN mkdir -p /var/lib/kafka/data /var/lib/kafka/config \
 && chown -R 10001:10001 /var/lib/kafka && chmod 755 /usr/local/bin/kafka-start
USER 10001
ENV KAFKA_ADVERTISED_HOST=kafka \
    KAFKA_HEAP_OPTS="-Xms256m -Xmx256m"
EXPOSE 9092
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=10 CMD ["bash", "-c", "</dev/tcp/127.0.0.1/9092"]
ENTRYPOINT ["kafka-start"]
