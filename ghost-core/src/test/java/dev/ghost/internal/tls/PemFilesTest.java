package dev.ghost.internal.tls;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PemFilesTest {

    @Test
    void wrapsAPkcs1RsaKeyAsTheJdkEncodesItInPkcs8() throws Exception {
        for (int bits : new int[] {512, 2048, 4096}) { // lengths encoded in one, two and more bytes
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            KeyPair pair = generator.generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();

            byte[] pkcs1 = innerOctetString(pkcs8);

            assertThat(PemFiles.rsaPkcs1ToPkcs8(pkcs1)).as(bits + " bits").isEqualTo(pkcs8);
        }
    }

    /** The PKCS#1 key inside a PKCS#8 one: the OCTET STRING after the version and the algorithm identifier. */
    private static byte[] innerOctetString(byte[] pkcs8) {
        int offset = 1 + lengthBytes(pkcs8, 1); // the outer SEQUENCE's header
        offset += 3; // INTEGER 0
        offset += 15; // rsaEncryption with NULL parameters
        assertThat(pkcs8[offset]).isEqualTo((byte) 0x04);
        int header = 1 + lengthBytes(pkcs8, offset + 1);
        return Arrays.copyOfRange(pkcs8, offset + header, pkcs8.length);
    }

    private static int lengthBytes(byte[] der, int at) {
        return (der[at] & 0x80) == 0 ? 1 : 1 + (der[at] & 0x7f);
    }
}
