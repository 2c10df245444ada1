import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleLoadError } from '../../src/errors.ts';
import { importWatchlist, loadDocumentList, loadWatchlistFile } from '../../src/watchlist/load-watchlist.ts';
import { parseNationalCsv, parseNationalYaml } from '../../src/watchlist/national-list.ts';
import { parseUnList } from '../../src/watchlist/un-list.ts';
import { ROOT, tempDir } from '../helpers.ts';

const UN_XML = `<?xml version='1.0' encoding='UTF-8'?>
<CONSOLIDATED_LIST dateGenerated='2024-09-26T00:00:07.514Z'>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID><FIRST_NAME>DOKU</FIRST_NAME><SECOND_NAME>KHAMATOVICH</SECOND_NAME><THIRD_NAME>UMAROV</THIRD_NAME>
      <REFERENCE_NUMBER>QDi.290</REFERENCE_NUMBER><LISTED_ON>2011-03-10</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>Умаров Доку Хаматович</NAME_ORIGINAL_SCRIPT>
      <GENDER>Male</GENDER>
      <NATIONALITY><VALUE>Russian Federation</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Dokka Umarov</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Usman</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1964-04-13</DATE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1960</FROM_YEAR><TO_YEAR>1962</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>96 03 464086</NUMBER><ISSUING_COUNTRY>Russian Federation</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY><DATAID>2</DATAID><FIRST_NAME>EXAMPLE FRONT</FIRST_NAME><ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Front of Example</ALIAS_NAME></ENTITY_ALIAS></ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>`;

describe('watchlist import', () => {
  it('reads the UN list: names, graded aliases, original script, dates of birth, nationality and documents', () => {
    const w = parseUnList(UN_XML);
    expect(w.generated).toBe('2024-09-26T00:00:07.514Z');
    expect(w.entries).toEqual([
      {
        id: 'UN-1',
        kind: 'individual',
        reference: 'QDi.290',
        names: [
          { full: 'DOKU KHAMATOVICH UMAROV', quality: 'primary' },
          { full: 'Dokka Umarov', quality: 'good' },
          { full: 'Abu Usman', quality: 'low' },
          { full: 'Умаров Доку Хаматович', quality: 'good', script: 'Cyrl' },
        ],
        datesOfBirth: ['1964-04-13', '1960..1962'],
        sex: 'M',
        nationalities: ['RUS'],
        documents: [{ type: 'Passport', number: '96 03 464086', issuingState: 'RUS' }],
        listedOn: '2011-03-10',
      },
      { id: 'UN-2', kind: 'entity', names: [{ full: 'EXAMPLE FRONT', quality: 'primary' }, { full: 'Front of Example', quality: 'good' }], datesOfBirth: [], nationalities: [], documents: [] },
    ]);
  });

  it('ships the converted UN list with every individual and entity of the 2024-09 XML', () => {
    const w = loadWatchlistFile(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json'));
    expect(w.entries.filter((e) => e.kind === 'individual')).toHaveLength(682);
    expect(w.entries.filter((e) => e.kind === 'entity')).toHaveLength(193);
  });

  it('reads a national list in CSV, several values in a cell separated by semicolons', () => {
    const csv = 'id,family_name,given_names,aliases,date_of_birth,sex,nationality,document_number,document_state\nKZ-1,Жаксыбеков,Ерлан,Yerlan Zhaksybekov;Erlan Dzhaksybekov,1984-05-12,M,KAZ,N12345678,KAZ\n';
    const [e] = parseNationalCsv(csv, 'kz.csv', 'kz').entries;
    expect(e?.names.map((n) => n.full)).toEqual(['Ерлан Жаксыбеков', 'Yerlan Zhaksybekov', 'Erlan Dzhaksybekov']);
    expect(e?.documents).toEqual([{ type: 'passport', number: 'N12345678', issuingState: 'KAZ' }]);
  });

  it('reports every bad CSV row with its line', () => {
    const csv = 'id,family_name,date_of_birth\nA,Karimov,1975\nB,,1975\nC,Umarov,circa 1960\n';
    try {
      parseNationalCsv(csv, 'bad.csv', 'bad');
      expect.unreachable();
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(RuleLoadError);
      expect((thrown as RuleLoadError).problems.map((p) => [p.line, p.path])).toEqual([[3, 'familyName'], [4, 'datesOfBirth.0']]);
    }
  });

  it('reads a national list in YAML and reports a bad field with its line', () => {
    const w = parseNationalYaml('list: uz-test\nentries:\n  - id: U1\n    familyName: Abdullayev\n    givenNames: Oʻtkir\n    datesOfBirth: ["1990"]\n', 'uz.yaml');
    expect(w.entries[0]?.names[0]?.full).toBe('Oʻtkir Abdullayev');
    expect(() => parseNationalYaml('list: uz-test\nentries:\n  - id: U1\n    familyName: A\n    sex: male\n', 'uz.yaml')).toThrow(/uz\.yaml:5 at entries\.0\.sex/);
  });

  it('imports from a file by extension and reads the stolen/lost document list', () => {
    const dir = tempDir();
    const file = path.join(dir, 'un.xml');
    fs.writeFileSync(file, UN_XML);
    expect(importWatchlist(file).list).toBe('un-sc');
    const docs = loadDocumentList(path.join(ROOT, 'rules', 'lists', 'stolen-lost-documents.csv'));
    expect(docs.documents.length).toBeGreaterThan(100);
    expect(docs.documents[0]).toMatchObject({ number: 'N98369006', issuingState: 'KAZ' });
  });
});
