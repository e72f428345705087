package dev.ghost.liquibase;

import liquibase.parser.LiquibaseParser;
import liquibase.parser.NamespaceDetails;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.serializer.LiquibaseSerializer;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;

/**
 * ghost's XML namespace for Liquibase changelogs, with the short name {@code ghost} and its XSD, which ships in this
 * jar at the path of its URL (Liquibase resolves it from the classpath, offline).
 */
public final class GhostNamespaceDetails implements NamespaceDetails {

    /** The namespace of ghost's change types. */
    public static final String NAMESPACE = "http://ghost.dev/xml/ns/liquibase";
    /** The XSD of ghost's change types; the jar holds it at {@code ghost.dev/xml/ns/liquibase/...}. */
    public static final String SCHEMA_URL = "http://ghost.dev/xml/ns/liquibase/ghost-liquibase-1.0.xsd";

    /** Liquibase loads this class through its ServiceLoader file. */
    public GhostNamespaceDetails() {
    }

    /**
     * An extension's priority, above Liquibase's own details for its namespaces.
     *
     * @return {@link NamespaceDetails#PRIORITY_EXTENSION}
     */
    @Override
    public int getPriority() {
        return PRIORITY_EXTENSION;
    }

    /**
     * Writes ghost's namespace in XML changelogs.
     *
     * @param serializer     the serializer asking
     * @param namespaceOrUrl the namespace or schema URL asked about
     * @return whether it is the XML serializer and ghost's namespace
     */
    @Override
    public boolean supports(LiquibaseSerializer serializer, String namespaceOrUrl) {
        return serializer instanceof XMLChangeLogSerializer && isGhosts(namespaceOrUrl);
    }

    /**
     * Reads ghost's namespace in XML changelogs.
     *
     * @param parser         the parser asking
     * @param namespaceOrUrl the namespace or schema URL asked about
     * @return whether it is the XML parser and ghost's namespace
     */
    @Override
    public boolean supports(LiquibaseParser parser, String namespaceOrUrl) {
        return parser instanceof XMLChangeLogSAXParser && isGhosts(namespaceOrUrl);
    }

    /**
     * The prefix for ghost's namespace.
     *
     * @param namespaceOrUrl ghost's namespace or schema URL
     * @return {@code ghost}
     */
    @Override
    public String getShortName(String namespaceOrUrl) {
        return "ghost";
    }

    /**
     * The XSD for ghost's namespace.
     *
     * @param namespaceOrUrl ghost's namespace or schema URL
     * @return {@link #SCHEMA_URL}
     */
    @Override
    public String getSchemaUrl(String namespaceOrUrl) {
        return SCHEMA_URL;
    }

    /**
     * The namespaces described here.
     *
     * @return ghost's namespace only
     */
    @Override
    public String[] getNamespaces() {
        return new String[]{NAMESPACE};
    }

    private static boolean isGhosts(String namespaceOrUrl) {
        return NAMESPACE.equals(namespaceOrUrl) || SCHEMA_URL.equals(namespaceOrUrl);
    }
}
