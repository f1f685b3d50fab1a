// RFC 3161 TSTInfo as an @peculiar/asn1-schema class (no published package is installed).
// The decorators are applied by hand: the repository does not enable TypeScript's legacy
// decorator syntax. Tests use it to build tokens and as an oracle for the DER reader.
import { AsnArray, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { Attribute } from '@peculiar/asn1-cms';
import { AlgorithmIdentifier, Extensions, GeneralName } from '@peculiar/asn1-x509';

export class MessageImprint {
  hashAlgorithm = new AlgorithmIdentifier();
  hashedMessage = new OctetString();
  constructor(params: Partial<MessageImprint> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AlgorithmIdentifier })(MessageImprint.prototype, 'hashAlgorithm');
AsnProp({ type: OctetString })(MessageImprint.prototype, 'hashedMessage');

export class Accuracy {
  seconds?: number;
  millis?: number;
  micros?: number;
  constructor(params: Partial<Accuracy> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer, optional: true })(Accuracy.prototype, 'seconds');
AsnProp({ type: AsnPropTypes.Integer, context: 0, implicit: true, optional: true })(Accuracy.prototype, 'millis');
AsnProp({ type: AsnPropTypes.Integer, context: 1, implicit: true, optional: true })(Accuracy.prototype, 'micros');

export class TSTInfo {
  version = 1;
  policy = '';
  messageImprint = new MessageImprint();
  serialNumber = new ArrayBuffer(0);
  genTime = new Date();
  accuracy?: Accuracy;
  ordering = false;
  nonce?: ArrayBuffer;
  tsa?: GeneralName;
  extensions?: Extensions;
  constructor(params: Partial<TSTInfo> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer })(TSTInfo.prototype, 'version');
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(TSTInfo.prototype, 'policy');
AsnProp({ type: MessageImprint })(TSTInfo.prototype, 'messageImprint');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(TSTInfo.prototype, 'serialNumber');
AsnProp({ type: AsnPropTypes.GeneralizedTime })(TSTInfo.prototype, 'genTime');
AsnProp({ type: Accuracy, optional: true })(TSTInfo.prototype, 'accuracy');
AsnProp({ type: AsnPropTypes.Boolean, defaultValue: false })(TSTInfo.prototype, 'ordering');
AsnProp({ type: AsnPropTypes.Integer, optional: true, converter: AsnIntegerArrayBufferConverter })(TSTInfo.prototype, 'nonce');
AsnProp({ type: GeneralName, context: 0, optional: true })(TSTInfo.prototype, 'tsa');
AsnProp({ type: Extensions, context: 1, implicit: true, optional: true })(TSTInfo.prototype, 'extensions');

/** SignedAttributes as a DER SET OF Attribute: the bytes a CMS signer signs. */
export class SignedAttributes extends AsnArray<Attribute> {
  constructor(items?: Attribute[]) {
    super(items);
    Object.setPrototypeOf(this, SignedAttributes.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(SignedAttributes);
